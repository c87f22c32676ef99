package io.cob.model;

/**
 * Multi-instance characteristics of an activity.
 *
 * @param sequential one instance after another when {@code true}; all at once otherwise
 * @param inputCollection expression giving the list to iterate, or {@code null} with
 *     loopCardinality
 * @param inputElement name of the local variable holding the current item, or {@code null}
 * @param outputCollection name of the variable receiving the list of outputs, or {@code null}
 * @param outputElement expression evaluated in each instance giving its output, or {@code null}
 * @param completionCondition expression evaluated after each instance completes; when true the
 *     remaining instances are terminated, or {@code null}
 * @param loopCardinality expression giving the number of instances when there is no input
 *     collection, or {@code null}
 */
public record MultiInstance(
    boolean sequential,
    Expression inputCollection,
    String inputElement,
    String outputCollection,
    Expression outputElement,
    Expression completionCondition,
    Expression loopCardinality) {}
