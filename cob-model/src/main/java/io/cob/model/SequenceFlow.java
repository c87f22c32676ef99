package io.cob.model;

/**
 * A sequence flow. Flows written without an id get a generated one ({@code
 * flow_<source>_<target>_<n>}).
 *
 * @param condition the condition expression, or {@code null}
 */
public record SequenceFlow(
    String id,
    String name,
    String sourceId,
    String targetId,
    Expression condition,
    SourceLocation location) {}
