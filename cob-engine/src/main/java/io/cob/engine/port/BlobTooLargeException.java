package io.cob.engine.port;

import java.io.IOException;

/** Content longer than the limit given to {@link BlobStore#put}; nothing was kept. */
public final class BlobTooLargeException extends IOException {
  private final long limit;

  public BlobTooLargeException(long limit) {
    super("content is larger than the limit of " + limit + " bytes");
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }
}
