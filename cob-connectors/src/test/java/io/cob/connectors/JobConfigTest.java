package io.cob.connectors;

import static io.cob.connectors.TestContexts.context;
import static io.cob.connectors.TestContexts.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobConfigTest {
  private final ConnectorContext ctx = context(Map.of("API_TOKEN", "s3cr3t"), null);

  private JobConfig config(Map<String, String> headers, Map<String, Object> variables) {
    return new JobConfig(job("http", headers, variables), ctx);
  }

  @Test
  void shouldPreferTheHeaderToTheVariable() {
    JobConfig c = config(Map.of("url", "https://a.example"), Map.of("url", "https://b.example"));
    assertThat(c.string("url")).isEqualTo("https://a.example");
  }

  @Test
  void shouldEvaluateHeadersStartingWithEqualsAsFeelAgainstTheJobVariables() {
    JobConfig c =
        config(
            Map.of("url", "=\"https://crm.example/customers/\" + string(customerId)"),
            Map.of("customerId", 42));
    assertThat(c.string("url")).isEqualTo("https://crm.example/customers/42");
  }

  @Test
  void shouldResolveSecretsInHeadersVariablesAndNestedValues() {
    JobConfig c =
        config(
            Map.of("authorization", "Bearer {{secrets.API_TOKEN}}"),
            Map.of(
                "headers",
                Map.of("X-Key", "{{ secrets.API_TOKEN }}"),
                "list",
                List.of("{{secrets.API_TOKEN}}")));
    assertThat(c.string("authorization")).isEqualTo("Bearer s3cr3t");
    assertThat(c.map("headers")).containsEntry("X-Key", "s3cr3t");
    assertThat(c.list("list")).containsExactly("s3cr3t");
    assertThat(c.rawValue("authorization")).contains("Bearer {{secrets.API_TOKEN}}");
  }

  @Test
  void shouldNameAMissingSecretAndWhereItIsUsed() {
    JobConfig c = config(Map.of("password", "{{secrets.NOPE}}"), Map.of());
    assertThatThrownBy(() -> c.string("password"))
        .isInstanceOf(ConnectorException.class)
        .hasMessageContaining("header 'password'")
        .hasMessageContaining("secret 'NOPE'")
        .hasMessageContaining("COB_SECRETS_NOPE")
        .satisfies(e -> assertThat(((ConnectorException) e).retryable()).isFalse());
  }

  @Test
  void shouldReadTypedSettingsAndNameWrongOnes() {
    JobConfig c =
        config(
            Map.of("timeout", "PT5S", "retries", "4", "async", "true", "bad", "soon"),
            Map.of("limit", 1500));
    assertThat(c.duration("timeout", Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.duration("limit", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.duration("absent", Duration.ofSeconds(9))).isEqualTo(Duration.ofSeconds(9));
    assertThat(c.number("retries", 0)).isEqualTo(4);
    assertThat(c.flag("async", false)).isTrue();
    assertThatThrownBy(() -> c.duration("bad", Duration.ZERO))
        .hasMessageContaining("setting 'bad' must be an ISO-8601 duration");
    assertThatThrownBy(() -> c.string("url")).hasMessageContaining("setting 'url' is missing");
  }

  @Test
  void shouldReportAFeelErrorWithTheHeader() {
    JobConfig c = config(Map.of("url", "=\"a\" + "), Map.of());
    assertThatThrownBy(() -> c.string("url")).hasMessageContaining("header 'url'");
  }

  @Test
  void shouldNotTakeAProcessVariableForASettingOnlyTheTasksInputs() {
    io.cob.engine.port.ActivatedJob job =
        new io.cob.engine.port.ActivatedJob(
            "i:7",
            "http",
            "i",
            "second",
            5,
            3,
            Map.of("body", Map.of("from", "the first call"), "url", "https://a.example"),
            Map.of(),
            "i:5",
            Map.of("url", "https://a.example"));
    JobConfig c = new JobConfig(job, ctx);
    assertThat(c.has("body")).isFalse();
    assertThat(c.value("body")).isEmpty();
    assertThat(c.string("url")).isEqualTo("https://a.example");
  }
}
