/**
 * BPMN 2.0 parsing and validation: {@link io.cob.model.parse.BpmnParser} turns the bytes of a
 * {@code .bpmn} file into an immutable {@link io.cob.model.BpmnDocument}, or reports every {@link
 * io.cob.model.Problem} it finds, each at the line and column of the offending element's start tag.
 *
 * <h2>What is read from where</h2>
 *
 * <p>Elements and attributes are matched by namespace URI. Three vendor vocabularies are
 * understood; when several are written on one element, cob's wins over Camunda 8's, which wins over
 * Camunda 7's.
 *
 * <table>
 *   <caption>Extension vocabularies</caption>
 *   <tr><th>Concern</th><th>Camunda 8 ({@code zeebe:})</th><th>Camunda 7 ({@code camunda:},
 *       also {@code flowable:}, {@code activiti:})</th><th>cob ({@code urn:cob:bpmn:1})</th></tr>
 *   <tr><td>job</td><td>{@code <taskDefinition type retries>}, {@code <taskHeaders><header key
 *       value>}</td><td>{@code type="external" topic}, {@code <failedJobRetryTimeCycle>R5/..},
 *       {@code <properties><property name value>} as headers</td><td>{@code cob:type}, {@code
 *       cob:retries}, {@code <cob:taskDefinition type retries>}, {@code <cob:header key value>}
 *       (also inside {@code <cob:taskHeaders>})</td></tr>
 *   <tr><td>mappings</td><td>{@code <ioMapping><input|output source target>}</td><td>{@code
 *       <inputOutput><inputParameter|outputParameter name>text}; on call activities {@code <in|out
 *       source|sourceExpression target>} and {@code variables="all"}</td><td>{@code <cob:input|output
 *       source target>} (also inside {@code <cob:ioMapping>})</td></tr>
 *   <tr><td>user task</td><td>{@code <assignmentDefinition>}, {@code <formDefinition>}, {@code
 *       <taskSchedule dueDate>}</td><td>{@code assignee}, {@code candidateGroups}, {@code
 *       candidateUsers}, {@code formKey}, {@code dueDate}</td><td>the same attribute names in
 *       {@code cob:}</td></tr>
 *   <tr><td>call activity</td><td>{@code <calledElement processId propagateAllChildVariables
 *       propagateAllParentVariables>}</td><td>BPMN {@code calledElement}</td><td>{@code
 *       cob:calledElement}, {@code cob:propagateAllChildVariables}, {@code
 *       cob:propagateAllParentVariables}</td></tr>
 *   <tr><td>multi-instance</td><td>{@code <loopCharacteristics inputCollection inputElement
 *       outputCollection outputElement>}</td><td>{@code collection}, {@code
 *       elementVariable}</td><td>{@code <cob:loopCharacteristics>}, same attributes as zeebe</td></tr>
 *   <tr><td>message</td><td>{@code <subscription correlationKey>}</td><td>-</td><td>{@code
 *       cob:correlationKey}, {@code <cob:subscription correlationKey>}</td></tr>
 *   <tr><td>placement</td><td>-</td><td>-</td><td>{@code cob:cloud}, {@code cob:placement} on
 *       flow nodes, lanes, processes and pools (a pool's go to its process); {@code
 *       cob:standby}, {@code cob:replication}, {@code cob:residency} on processes and
 *       pools</td></tr>
 * </table>
 *
 * <p>Other vendors' extension elements and attributes are ignored, except listeners (code cob would
 * never run) and Java delegates, which are reported. A cob attribute or extension element that has
 * no meaning where it is written is reported: cob's namespace is ours, so an unknown name there is
 * a typo.
 *
 * <h2>What is rejected</h2>
 *
 * <p>Any BPMN element cob does not run (complex gateways, transactions, event subprocesses,
 * standard loops, signal/escalation/compensation/conditional/link events, script and business rule
 * tasks without a job type...) is reported rather than skipped, as are documents over the size
 * limit, malformed XML, and documents with a DTD or entity references (never resolved).
 */
package io.cob.model.parse;
