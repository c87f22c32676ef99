package io.cob.store.jdbc;

import io.cob.engine.port.Store;
import io.cob.engine.store.StoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC store on an H2 file meets the Store contract; each test gets a new file. */
class H2FileStoreTest extends StoreContract {
  @TempDir Path dir;

  @Override
  protected Store newStore() {
    return JdbcStore.open("jdbc:h2:file:" + dir.resolve("cob"));
  }
}
