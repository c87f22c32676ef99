package io.cob.engine.state;

import java.time.Instant;
import java.util.List;

/** A user task waiting for a person. */
public record UserTaskInfo(
    long taskKey,
    long elementKey,
    String elementId,
    String name,
    String assignee,
    List<String> candidateGroups,
    List<String> candidateUsers,
    String formKey,
    Instant dueDate,
    Instant createdAt) {}
