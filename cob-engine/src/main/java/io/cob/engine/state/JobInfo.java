package io.cob.engine.state;

import java.time.Instant;
import java.util.Map;

/**
 * A job of the instance.
 *
 * @param retries attempts left; {@code 0} means an incident holds it
 * @param dueAt not before this time
 */
public record JobInfo(
    long jobKey,
    long elementKey,
    String elementId,
    String type,
    int retries,
    Instant dueAt,
    String errorMessage,
    Map<String, String> headers,
    String cloud) {}
