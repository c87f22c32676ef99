package io.cob.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcUrlsTest {
  @Test
  void shouldFindTheSchemaOfAPostgresUrl() {
    assertThat(JdbcUrls.currentSchema("jdbc:postgresql://h/db?currentSchema=cob&ssl=false"))
        .contains("cob");
    assertThat(JdbcUrls.currentSchema("jdbc:postgresql://h/db?ssl=false&currentSchema=a,public"))
        .contains("a");
    assertThat(JdbcUrls.currentSchema("jdbc:postgresql://h/db")).isEmpty();
  }

  @Test
  void shouldNameAnUnnamedInMemoryDatabase() {
    String url = JdbcUrls.forH2Pool("jdbc:h2:mem:");

    assertThat(url).startsWith("jdbc:h2:mem:cob-").isNotEqualTo(JdbcUrls.forH2Pool("jdbc:h2:mem:"));
    assertThat(JdbcUrls.forH2Pool("jdbc:h2:mem:;MODE=REGULAR")).contains(";MODE=REGULAR");
    assertThat(JdbcUrls.forH2Pool("jdbc:h2:mem:mine")).startsWith("jdbc:h2:mem:mine;");
  }

  @Test
  void shouldWaitLongerForH2RowLocksUnlessTheUrlSaysHowLong() {
    assertThat(JdbcUrls.forH2Pool("jdbc:h2:file:/tmp/x")).contains(";LOCK_TIMEOUT=10000");
    assertThat(JdbcUrls.forH2Pool("jdbc:h2:file:/tmp/x;lock_timeout=50"))
        .startsWith("jdbc:h2:file:/tmp/x;lock_timeout=50")
        .doesNotContain("LOCK_TIMEOUT=10000");
  }

  @Test
  void shouldWriteEveryH2FileCommitAtOnceSoThatAKilledProcessLosesNoCommit() {
    assertThat(JdbcUrls.forH2Pool("jdbc:h2:file:/tmp/x")).contains(";WRITE_DELAY=0");
    assertThat(JdbcUrls.forH2Pool("jdbc:h2:file:/tmp/x;write_delay=100"))
        .doesNotContain("WRITE_DELAY=0");
    assertThat(JdbcUrls.forH2Pool("jdbc:h2:mem:m")).doesNotContain("WRITE_DELAY");
  }

  @Test
  void shouldHidePasswords() {
    assertThat(JdbcUrls.redact("jdbc:postgresql://h/db?user=u&password=p&x=1"))
        .isEqualTo("jdbc:postgresql://h/db?user=u&password=***&x=1");
    assertThat(JdbcUrls.redact("jdbc:h2:file:/x;PASSWORD=p;X=1"))
        .isEqualTo("jdbc:h2:file:/x;PASSWORD=***;X=1");
  }

  @Test
  void shouldBuildUpsertsForBothDialects() {
    List<String> columns = List.of("id", "a", "doc");

    assertThat(Dialect.H2.upsert("t", columns, List.of("doc")))
        .isEqualTo("MERGE INTO t (id, a, doc) KEY (id) VALUES (?, ?, ?)");
    assertThat(Dialect.POSTGRESQL.upsert("t", columns, List.of("doc")))
        .isEqualTo(
            "INSERT INTO t (id, a, doc) VALUES (?, ?, CAST(? AS json))"
                + " ON CONFLICT (id) DO UPDATE SET a = EXCLUDED.a, doc = EXCLUDED.doc");
  }
}
