package io.cob.server.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.Engine;
import io.cob.engine.TestModels;
import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent.IncidentCreated;
import io.cob.engine.event.InstanceEvent.JobErrorThrown;
import io.cob.engine.event.InstanceEvent.JobFailed;
import io.cob.engine.event.InstanceEvent.ReplicaConflict;
import io.cob.engine.event.InstanceEvent.SubscriptionOpened;
import io.cob.engine.runtime.BpmnResource;
import io.cob.engine.store.InMemoryStore;
import io.cob.server.support.ThreeClouds;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What of an instance's events a cloud may see under data residency: {@code private} and {@code
 * public-b} are in the eu, {@code public-a} in the us ({@link ThreeClouds#clouds()}).
 */
class ResidencyTest {
  static final String CUSTOMER_ID = "CUST-4711";
  static final String NAME = "Alice-Liddell";

  private final InMemoryStore store = new InMemoryStore();
  private final Engine engine = Engine.builder(store).nodeId("node-p").build().start();
  private final Residency residency = new Residency(() -> engine, store, ThreeClouds.clouds());

  @AfterEach
  void close() {
    engine.close();
  }

  /**
   * A message subscription's correlation key is computed from the instance's variables, here from
   * the resident {@code customer}: a cloud outside the eu gets the marker in its place, an eu cloud
   * the key.
   */
  @Test
  void shouldWithholdACorrelationKeyFromACloudOutsideTheJurisdiction() {
    String id = waitingForAMessage("customer=eu");
    List<EventRecord> history = store.history(id);
    assertThat(String.valueOf(history)).contains(CUSTOMER_ID);

    List<EventRecord> us = residency.redact(id, history, "public-a");
    List<EventRecord> eu = residency.redact(id, history, "public-b");

    assertThat(String.valueOf(us)).doesNotContain(CUSTOMER_ID);
    assertThat(subscription(us).correlationKey()).isEqualTo("redacted: residency eu");
    assertThat(subscription(us).messageName()).isEqualTo("confirmed");
    assertThat(subscription(eu).correlationKey()).isEqualTo(CUSTOMER_ID);
    assertThat(us)
        .extracting(EventRecord::seq)
        .isEqualTo(eu.stream().map(EventRecord::seq).toList());
  }

  /**
   * The engine's message for an expression that failed quotes the value it failed on, here the
   * resident {@code customer.name}: a cloud outside the eu gets the incident without its message.
   */
  @Test
  void shouldWithholdAnIncidentMessageFromACloudOutsideTheJurisdiction() {
    String id =
        started(
            "customer=eu",
            "<startEvent id=\"start\"/><exclusiveGateway id=\"g\"/>"
                + "<endEvent id=\"big\"/><endEvent id=\"small\"/>",
            "start->g",
            "g->big if =customer.name > 5",
            "g->small if =false");
    List<EventRecord> history = store.history(id);
    assertThat(incident(history).message()).contains(NAME);

    IncidentCreated us = incident(residency.redact(id, history, "public-a"));

    assertThat(us.message()).isEqualTo("redacted: residency eu");
    assertThat(us.kind()).isEqualTo("EXPRESSION");
    assertThat(incident(residency.redact(id, history, "public-b")).message()).contains(NAME);
  }

  /**
   * A service's error may echo what it was sent, and a replica conflict holds whole events: a cloud
   * outside the eu gets neither text; what the replica needs besides (the error code, which events
   * conflicted) stays.
   */
  @Test
  void shouldWithholdJobErrorsAndConflictingEventsFromACloudOutsideTheJurisdiction() {
    String id = waitingForAMessage("customer=eu");
    Instant at = Instant.now();
    List<EventRecord> events =
        List.of(
            new EventRecord(
                10, at, new JobFailed(7, "enrich", 2, "HTTP 503: no record of " + NAME, at)),
            new EventRecord(
                11, at, new JobErrorThrown(8, "enrich", "HTTP_404", "HTTP 404: " + NAME)),
            new EventRecord(
                12,
                at,
                new ReplicaConflict(
                    "private",
                    0,
                    List.of("9 VariablesSet {\"variables\":{\"customer\":\"" + NAME + "\"}}"))));

    List<EventRecord> us = residency.redact(id, events, "public-a");

    assertThat(String.valueOf(us)).doesNotContain(NAME);
    assertThat(((JobFailed) us.get(0).event()).errorMessage()).isEqualTo("redacted: residency eu");
    assertThat(((JobFailed) us.get(0).event()).retries()).isEqualTo(2);
    assertThat(((JobErrorThrown) us.get(1).event()).errorCode()).isEqualTo("HTTP_404");
    assertThat(((ReplicaConflict) us.get(2).event()).events())
        .containsExactly("9 VariablesSet redacted: residency eu");
    assertThat(residency.redact(id, events, "public-b")).isEqualTo(events);
  }

  /** A process without residency rules ships its keys everywhere. */
  @Test
  void shouldKeepTheCorrelationKeyOfAProcessWithoutResidency() {
    String id = waitingForAMessage(null);

    assertThat(subscription(residency.redact(id, store.history(id), "public-a")).correlationKey())
        .isEqualTo(CUSTOMER_ID);
  }

  /** start → message {@code confirmed} correlated by {@code customer.id}; started and waiting. */
  private String waitingForAMessage(String rules) {
    return started(
        rules,
        "<startEvent id=\"start\"/><intermediateCatchEvent id=\"confirmed\">"
            + "<messageEventDefinition messageRef=\"m\"/></intermediateCatchEvent>"
            + "<endEvent id=\"end\"/>",
        "start->confirmed",
        "confirmed->end");
  }

  /**
   * An instance of process {@code kyc} ({@code cob:residency} = {@code rules}, none when {@code
   * null}), started with {@code customer} = {id, name}; message {@code m} is {@code confirmed},
   * correlated by {@code customer.id}.
   */
  private String started(String rules, String nodes, String... flows) {
    String xml =
        TestModels.definitions(
            TestModels.processElement("kyc", nodes, flows)
                + "<message id=\"m\" name=\"confirmed\"><extensionElements>"
                + "<zeebe:subscription correlationKey=\"=customer.id\"/>"
                + "</extensionElements></message>");
    if (rules != null) {
      xml =
          xml.replace("<process id=\"kyc\"", "<process id=\"kyc\" cob:residency=\"" + rules + "\"");
    }
    engine.deploy(List.of(new BpmnResource("kyc.bpmn", xml.getBytes(StandardCharsets.UTF_8))));
    return engine.startInstance(
        "kyc", 0, Map.of("customer", Map.of("id", CUSTOMER_ID, "name", NAME)), null);
  }

  private static IncidentCreated incident(List<EventRecord> events) {
    return events.stream()
        .map(EventRecord::event)
        .filter(IncidentCreated.class::isInstance)
        .map(IncidentCreated.class::cast)
        .findFirst()
        .orElseThrow();
  }

  private static SubscriptionOpened subscription(List<EventRecord> events) {
    return events.stream()
        .map(EventRecord::event)
        .filter(SubscriptionOpened.class::isInstance)
        .map(SubscriptionOpened.class::cast)
        .findFirst()
        .orElseThrow();
  }
}
