package io.cob.engine.state;

import java.time.Instant;
import java.util.Map;

/**
 * A job of the instance.
 *
 * @param retries attempts left; {@code 0} means an incident holds it
 * @param dueAt not before this time
 * @param failures how many attempts failed so far (drives the exponential back-off)
 */
public record JobInfo(
    long jobKey,
    long elementKey,
    String elementId,
    String type,
    int retries,
    int failures,
    Instant dueAt,
    String errorMessage,
    Map<String, String> headers,
    String cloud) {}
