package io.cob.server.metrics;

import static io.cob.server.support.CloudNodes.await;
import static io.cob.server.support.CloudNodes.health;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.TestModels;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobHandler;
import io.cob.engine.port.JobResult;
import io.cob.server.CobNode;
import io.cob.server.support.Api;
import io.cob.server.support.CloudNodes;
import io.cob.server.support.PrometheusText;
import io.cob.server.support.PrometheusText.Sample;
import io.cob.server.support.ThreeClouds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} after a workload whose every number is known: two clouds in this JVM on a memory
 * broker of their own, {@code private} owning the instances.
 *
 * <ul>
 *   <li>{@code ship}: {@code pack} runs on {@code private}, then {@code deliver} on {@code
 *       public-a}; {@value #N} instances, all complete.
 *   <li>{@code bill}: {@code charge} on {@code private}, 3 retries; {@value #N} instances, one of
 *       which is declined: its three attempts fail (two retried), then an incident holds it.
 * </ul>
 */
class MetricsOfAKnownWorkloadTest {
  private static final int N = 4;
  private static final String BUS = CloudNodes.privateMemoryBus();

  private static final List<CobNode> nodes = new ArrayList<>();
  private static PrometheusText owner;
  private static PrometheusText other;

  @BeforeAll
  static void runTheWorkload() {
    Map<String, JobHandler> handlers =
        Map.of("work", job -> JobResult.complete(), "charge", MetricsOfAKnownWorkloadTest::charge);
    CobNode privateNode = start("private", "node-p", handlers);
    CobNode publicNode = start("public-a", "node-a", handlers);
    Api api = new Api(privateNode.baseUri());
    await(
        "both clouds UP",
        () -> "UP".equals(health(api, "public-a")) && "UP".equals(health(api, "private")));
    api.deploy("ship.bpmn", ship());
    api.deploy("bill.bpmn", bill());

    List<String> ships = new ArrayList<>();
    List<String> bills = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      ships.add(api.start("ship", Map.of("n", i)).get("id").asText());
      bills.add(api.start("bill", Map.of("declined", i == 0)).get("id").asText());
    }
    await(
        "every ship and every accepted bill complete, the declined one in an incident",
        () ->
            ships.stream().allMatch(id -> state(api, id).equals("COMPLETED"))
                && bills.stream().skip(1).allMatch(id -> state(api, id).equals("COMPLETED"))
                && api.instance(bills.getFirst()).get("incidents").size() == 1);
    // The listener runs after the commit that the API already shows: wait for the writers.
    assertThat(privateNode.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(publicNode.awaitIdle(Duration.ofSeconds(10))).isTrue();

    owner = scrape(privateNode);
    other = scrape(publicNode);
  }

  @AfterAll
  static void stop() {
    nodes.forEach(CobNode::close);
  }

  private static CobNode start(String cloud, String nodeId, Map<String, JobHandler> handlers) {
    CobNode node = CobNode.start(ThreeClouds.config(BUS, cloud, nodeId), handlers);
    nodes.add(node);
    return node;
  }

  private static JobResult charge(ActivatedJob job) {
    if (Boolean.TRUE.equals(job.variables().get("declined"))) {
      return new JobResult.Fail("card declined", null, Duration.ofMillis(50));
    }
    return JobResult.complete();
  }

  private static String state(Api api, String id) {
    return api.instance(id).get("state").asText();
  }

  private static PrometheusText scrape(CobNode node) {
    Api.Res r = new Api(node.baseUri()).get("/metrics");
    assertThat(r.status()).isEqualTo(200);
    return PrometheusText.parse(r.body());
  }

  /** start → pack (private) → deliver (public-a) → end. */
  private static String ship() {
    return TestModels.process(
        "ship",
        "<startEvent id=\"start\"/>"
            + TestModels.serviceTask("pack", "work")
            + ThreeClouds.placed("deliver", "work", "public-a")
            + "<endEvent id=\"end\"/>",
        "start->pack",
        "pack->deliver",
        "deliver->end");
  }

  /** start → charge (3 retries) → end. */
  private static String bill() {
    return TestModels.process(
        "bill",
        "<startEvent id=\"start\"/>"
            + TestModels.serviceTask("charge", "charge")
                .replace("type=\"charge\"", "type=\"charge\" retries=\"3\"")
            + "<endEvent id=\"end\"/>",
        "start->charge",
        "charge->end");
  }

  private static Map<String, String> process(String id) {
    return Map.of("process", id);
  }

  @Test
  void shouldCountInstancesByProcess() {
    assertThat(owner.value("cob_instances_started_total", process("ship"))).isEqualTo(N);
    assertThat(owner.value("cob_instances_started_total", process("bill"))).isEqualTo(N);
    assertThat(owner.value("cob_instances_completed_total", process("ship"))).isEqualTo(N);
    assertThat(owner.value("cob_instances_completed_total", process("bill"))).isEqualTo(N - 1);
    assertThat(owner.sum("cob_instances_canceled_total", Map.of())).isZero();
    assertThat(owner.sum("cob_instances_terminated_total", Map.of())).isZero();
    assertThat(owner.value("cob_instances_started_total", process("ship")))
        .as("the common tags are there too")
        .isEqualTo(
            owner.value(
                "cob_instances_started_total",
                Map.of("process", "ship", "node", "node-p", "cloud", "private")));
    assertThat(other.find("cob_instances_started_total", Map.of()))
        .as("public-a only ran steps: it owns no instance")
        .isEmpty();
  }

  @Test
  void shouldCountFailedAttemptsRetriesAndTheIncidentOfTheDeclinedBill() {
    assertThat(owner.value("cob_jobs_failed_total", process("bill"))).isEqualTo(3);
    assertThat(owner.value("cob_job_retries_total", process("bill"))).isEqualTo(2);
    assertThat(owner.value("cob_incidents_raised_total", process("bill"))).isEqualTo(1);
    assertThat(owner.value("cob_incidents_raised_total", process("ship"))).isZero();
    assertThat(owner.value("cob_jobs_failed_total", process("ship"))).isZero();
    assertThat(owner.value("cob_incidents_open", Map.of())).isEqualTo(1);
    assertThat(owner.value("cob_job_creations_total", process("ship"))).isEqualTo(2 * N);
    assertThat(owner.value("cob_jobs_completed_total", process("ship"))).isEqualTo(2 * N);
    assertThat(owner.value("cob_jobs_completed_total", process("bill"))).isEqualTo(N - 1);
  }

  @Test
  void shouldTimeEveryCompletedStepSplitByTheCloudThatRanIt() {
    String count = "cob_step_latency_seconds_count";
    Map<String, String> packed =
        Map.of("process", "ship", "element_type", "serviceTask", "ran_on", "private");
    Map<String, String> delivered =
        Map.of("process", "ship", "element_type", "serviceTask", "ran_on", "public-a");
    assertThat(owner.value(count, packed)).isEqualTo(N);
    assertThat(owner.find(count, packed).getFirst().labels()).containsEntry("remote", "false");
    assertThat(owner.value(count, delivered)).as("the steps that crossed clouds").isEqualTo(N);
    assertThat(owner.find(count, delivered).getFirst().labels()).containsEntry("remote", "true");
    assertThat(owner.value(count, Map.of("remote", "true"))).isEqualTo(N);
    assertThat(owner.value(count, process("bill")))
        .as("the declined charge never ended")
        .isEqualTo(N - 1);
    assertThat(owner.sum(count, Map.of()))
        .as("one observation per completed job")
        .isEqualTo(owner.sum("cob_jobs_completed_total", Map.of()));
    assertThat(owner.sum("cob_steps_untimed_total", Map.of())).isZero();
    assertThat(owner.value("cob_steps_open", Map.of())).as("the declined charge").isEqualTo(1);
    assertThat(other.find(count, Map.of())).isEmpty();
  }

  @Test
  void shouldExposeStepLatencyAsCumulativeHistogramBuckets() {
    Map<String, String> delivered = Map.of("process", "ship", "ran_on", "public-a");
    List<Sample> buckets =
        owner.find("cob_step_latency_seconds_bucket", delivered).stream()
            .sorted(Comparator.comparingDouble(s -> bound(s.labels().get("le"))))
            .toList();

    assertThat(buckets).hasSizeGreaterThan(10);
    assertThat(buckets.getLast().labels()).containsEntry("le", "+Inf");
    assertThat(buckets.getLast().value()).isEqualTo(N);
    for (int i = 1; i < buckets.size(); i++) {
      assertThat(buckets.get(i).value())
          .as("cumulative at le=" + buckets.get(i).labels().get("le"))
          .isGreaterThanOrEqualTo(buckets.get(i - 1).value());
    }
    assertThat(owner.value("cob_step_latency_seconds_sum", delivered)).isPositive();
  }

  private static double bound(String le) {
    return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
  }

  @Test
  void shouldCountTheEnvelopesOfCrossCloudStepsAtBothEnds() {
    String sent = "cob_bus_envelopes_sent_total";
    String received = "cob_bus_envelopes_received_total";
    assertThat(owner.value(sent, Map.of("target", "public-a", "type", "job.dispatch")))
        .isEqualTo(N);
    assertThat(other.value(received, Map.of("source", "private", "type", "job.dispatch")))
        .isEqualTo(N);
    assertThat(other.value(sent, Map.of("target", "private", "type", "job.result"))).isEqualTo(N);
    assertThat(owner.value(received, Map.of("source", "public-a", "type", "job.result")))
        .isEqualTo(N);
    assertThat(owner.value(sent, Map.of("target", "*", "type", "heartbeat"))).isPositive();
    assertThat(owner.value(received, Map.of("source", "public-a", "type", "heartbeat")))
        .isPositive();
    assertThat(owner.sum(received, Map.of()))
        .as("every accepted envelope is received from somewhere")
        .isEqualTo(owner.value("cob_bus_envelopes_accepted_total", Map.of()));
    assertThat(owner.sum("cob_bus_envelopes_redelivered_total", Map.of())).isZero();
    assertThat(owner.sum("cob_bus_envelopes_send_failed_total", Map.of())).isZero();
    assertThat(owner.labelValues(sent, "cloud")).containsExactly("private");
  }

  @Test
  void shouldTimeStoreCommits() {
    double commits = owner.value("cob_store_commit_seconds_count", Map.of("outcome", "committed"));
    assertThat(commits).isPositive();
    assertThat(owner.value("cob_store_commit_seconds_count", Map.of("outcome", "failed"))).isZero();
    assertThat(owner.value("cob_store_commit_instances_count", Map.of())).isEqualTo(commits);
    assertThat(owner.value("cob_store_commit_instances_sum", Map.of()))
        .as("every instance is written at least by its start and its end")
        .isGreaterThanOrEqualTo(2 * N);
  }
}
