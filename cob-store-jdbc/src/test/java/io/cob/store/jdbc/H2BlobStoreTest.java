package io.cob.store.jdbc;

import io.cob.engine.blob.BlobStoreContract;
import io.cob.engine.port.BlobRef;
import io.cob.engine.port.BlobStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC blob store on an H2 file meets the BlobStore contract; each test gets a new file. */
class H2BlobStoreTest extends BlobStoreContract {
  @TempDir Path dir;
  private JdbcStore store;

  @Override
  protected BlobStore newBlobStore() {
    store = JdbcStore.open("jdbc:h2:file:" + dir.resolve("cob"));
    return store.blobs();
  }

  @Override
  protected void closeBlobStore() {
    store.close();
  }

  @Override
  protected long storedBytes() throws Exception {
    return JdbcBlobDamage.storedBytes(store.dataSource());
  }

  @Override
  protected void damage(BlobRef ref) throws Exception {
    JdbcBlobDamage.damage(store.dataSource(), ref);
  }
}
