package io.cob.engine.blob;

import io.cob.engine.port.BlobRef;
import io.cob.engine.port.BlobStore;

/** The in-memory blob store meets the BlobStore contract. */
class InMemoryBlobStoreTest extends BlobStoreContract {
  @Override
  protected BlobStore newBlobStore() {
    return new InMemoryBlobStore();
  }

  @Override
  protected long storedBytes() {
    return ((InMemoryBlobStore) blobs).storedBytes();
  }

  @Override
  protected void damage(BlobRef ref) {
    byte[] content = ((InMemoryBlobStore) blobs).storedContent(ref.blobId());
    content[Math.min(1024, content.length - 1)] ^= 0x55;
  }
}
