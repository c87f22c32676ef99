package io.cob.model;

/**
 * Waits for a person.
 *
 * @param assignee expression or literal naming the assignee, or {@code null}
 * @param candidateGroups expression or literal: a comma-separated list or a FEEL list, or {@code
 *     null}
 * @param candidateUsers like candidateGroups, for users
 * @param formKey the form reference, or {@code null}
 * @param dueDate expression or literal ISO-8601 date, or {@code null}
 */
public record UserTask(
    ElementHeader header,
    Expression assignee,
    Expression candidateGroups,
    Expression candidateUsers,
    String formKey,
    Expression dueDate,
    IoMapping io,
    MultiInstance loop)
    implements Activity {}
