package io.cob.engine.state;

import java.time.Instant;

/** An open incident. {@code jobKey} is {@code null} when no job is concerned. */
public record IncidentInfo(
    long incidentKey,
    long elementKey,
    String elementId,
    Long jobKey,
    String kind,
    String message,
    Instant createdAt) {}
