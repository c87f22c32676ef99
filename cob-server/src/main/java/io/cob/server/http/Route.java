package io.cob.server.http;

import java.util.List;

/**
 * One endpoint: a method and a path template whose {@code {name}} segments are parameters.
 *
 * @param maxBody the largest request body accepted, in bytes; a larger one is answered 413
 */
public record Route(String method, String path, long maxBody, Handler handler) {
  public List<String> segments() {
    return List.of(path.substring(1).split("/", -1));
  }
}
