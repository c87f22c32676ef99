package io.cob.server.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document: what every 4xx and 5xx answer of the API carries, as {@code
 * application/problem+json}.
 *
 * @param type a URI naming the kind of problem ({@code urn:cob:problem:…})
 * @param title the kind in words, the same for every problem of that type
 * @param status the HTTP status
 * @param detail this occurrence in words: which field, element, line
 * @param instance the request path
 * @param errors for validation problems, one entry per error (field, or file/line/column/element);
 *     omitted otherwise
 */
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Map<String, Object>> errors) {
  public Problem {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }
}
