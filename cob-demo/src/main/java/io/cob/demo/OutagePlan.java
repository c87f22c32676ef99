package io.cob.demo;

/**
 * A cloud the demo takes off the bus mid-run, and when.
 *
 * @param cloud the cloud that fails, e.g. {@code public-b}
 * @param whenReached the element whose activation triggers the outage: the step after it is the one
 *     that should be placed elsewhere
 * @param affectedStep the element expected to be re-placed, for the trace
 */
public record OutagePlan(String cloud, String whenReached, String affectedStep) {}
