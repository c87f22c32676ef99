package io.cob.server.http;

/**
 * How much a JSON request may hold ({@code node.http.*} in {@code cob.yaml}). A body over {@code
 * maxBodyBytes} is answered 413 before it is read; JSON nested deeper than {@code maxJsonDepth}
 * levels or holding a string longer than {@code maxJsonStringLength} characters is answered 400.
 * The depth counts every array and object from the body's outermost one: in {@code {"variables":
 * {"a": [1]}}} the array is at level 3.
 *
 * <p>Deployments and blobs have limits of their own (10 MiB, {@code blobs.maxBytes}).
 *
 * @param maxBodyBytes the largest JSON body, in bytes ({@code node.http.maxBodyBytes})
 * @param maxJsonDepth the deepest nesting of arrays and objects ({@code node.http.maxJsonDepth})
 * @param maxJsonStringLength the longest string value, in characters ({@code
 *     node.http.maxJsonStringLength})
 */
public record RequestLimits(long maxBodyBytes, int maxJsonDepth, int maxJsonStringLength) {
  /** 1 MiB bodies, 100 levels, strings as long as a body. */
  public static final RequestLimits DEFAULTS = new RequestLimits(1L << 20, 100, 1 << 20);

  public RequestLimits {
    if (maxBodyBytes <= 0) {
      throw new IllegalArgumentException(
          "node.http.maxBodyBytes must be positive, not " + maxBodyBytes);
    }
    if (maxJsonDepth <= 1) {
      throw new IllegalArgumentException(
          "node.http.maxJsonDepth must be at least 2 (a body and a value in it), not "
              + maxJsonDepth);
    }
    if (maxJsonStringLength <= 0) {
      throw new IllegalArgumentException(
          "node.http.maxJsonStringLength must be positive, not " + maxJsonStringLength);
    }
  }
}
