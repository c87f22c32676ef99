package io.cob.engine.store;

import static io.cob.engine.store.StoreSamples.T0;
import static io.cob.engine.store.StoreSamples.at;
import static io.cob.engine.store.StoreSamples.bpmn;
import static io.cob.engine.store.StoreSamples.deployment;
import static io.cob.engine.store.StoreSamples.everyRecordOf;
import static io.cob.engine.store.StoreSamples.fullSnapshot;
import static io.cob.engine.store.StoreSamples.incident;
import static io.cob.engine.store.StoreSamples.job;
import static io.cob.engine.store.StoreSamples.message;
import static io.cob.engine.store.StoreSamples.nestedVariables;
import static io.cob.engine.store.StoreSamples.newInstance;
import static io.cob.engine.store.StoreSamples.outboxRow;
import static io.cob.engine.store.StoreSamples.resource;
import static io.cob.engine.store.StoreSamples.subscription;
import static io.cob.engine.store.StoreSamples.summary;
import static io.cob.engine.store.StoreSamples.timer;
import static io.cob.engine.store.StoreSamples.update;
import static io.cob.engine.store.StoreSamples.userTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.engine.command.InstanceCommand;
import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.port.IndexChange;
import io.cob.engine.port.IndexChange.PutBufferedMessage;
import io.cob.engine.port.IndexChange.PutIncident;
import io.cob.engine.port.IndexChange.PutJob;
import io.cob.engine.port.IndexChange.PutOutbox;
import io.cob.engine.port.IndexChange.PutSubscription;
import io.cob.engine.port.IndexChange.PutTimer;
import io.cob.engine.port.IndexChange.PutUserTask;
import io.cob.engine.port.IndexChange.RemoveBufferedMessage;
import io.cob.engine.port.IndexChange.RemoveIncident;
import io.cob.engine.port.IndexChange.RemoveJob;
import io.cob.engine.port.IndexChange.RemoveOutbox;
import io.cob.engine.port.IndexChange.RemoveSubscription;
import io.cob.engine.port.IndexChange.RemoveTimer;
import io.cob.engine.port.IndexChange.RemoveUserTask;
import io.cob.engine.port.InstanceCommit;
import io.cob.engine.port.StaleInstanceException;
import io.cob.engine.port.Store;
import io.cob.engine.port.Store.StoredInstance;
import io.cob.engine.port.StoreException;
import io.cob.engine.port.StoreRows;
import io.cob.engine.port.StoreRows.BufferedMessage;
import io.cob.engine.port.StoreRows.DeploymentResult;
import io.cob.engine.port.StoreRows.InstanceQuery;
import io.cob.engine.port.StoreRows.InstanceSummary;
import io.cob.engine.port.StoreRows.JobLockRequest;
import io.cob.engine.port.StoreRows.JobRow;
import io.cob.engine.port.StoreRows.OutboxRow;
import io.cob.engine.port.StoreRows.ProcessVersion;
import io.cob.engine.port.StoreRows.SubscriptionRow;
import io.cob.engine.port.StoreRows.TimerRow;
import io.cob.engine.port.StoreRows.UserTaskQuery;
import io.cob.engine.port.StoreRows.UserTaskRow;
import io.cob.engine.state.InstanceSnapshot;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link Store} must have, as its Javadoc states it. An adapter's test extends
 * this class and implements {@link #newStore()}.
 *
 * <p>Where the Store interface leaves a detail open, this suite pins down what all stores do, so
 * that the engine sees no difference between them:
 *
 * <ul>
 *   <li>instants are kept to the microsecond (no more: PostgreSQL keeps no more);
 *   <li>an {@link InstanceQuery} or {@link UserTaskQuery} limit of 0 means no limit;
 *   <li>the instance state filter {@code INCIDENT} matches instances with open incidents;
 *   <li>a buffered message is visible while {@code now < expiresAt} and deleted as expired when
 *       {@code expiresAt < now};
 *   <li>a deployment id can be used only once;
 *   <li>when one batch changes the same row twice, the later change wins;
 *   <li>a closed store throws {@link StoreException}.
 * </ul>
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class StoreContract {

  /** The store under test. */
  protected Store store;

  /** A new, empty store; each test gets its own, closed after the test. */
  protected abstract Store newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // =============================================================== deployments

  @Test
  void shouldAssignVersionOneToANewProcess() {
    DeploymentResult result =
        store.deploy(deployment("d1", T0, resource("order.bpmn", bpmn("order", "a"), "order")));

    assertThat(result.deploymentId()).isEqualTo("d1");
    assertThat(result.processes())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.key()).isEqualTo("order:1");
              assertThat(v.processId()).isEqualTo("order");
              assertThat(v.version()).isEqualTo(1);
              assertThat(v.name()).isEqualTo("Process order");
              assertThat(v.deploymentId()).isEqualTo("d1");
              assertThat(v.resourceName()).isEqualTo("order.bpmn");
              assertThat(v.checksum()).isNotBlank();
              assertThat(v.deployedAt()).isEqualTo(T0);
            });
    assertThat(store.process("order", 1)).contains(result.processes().get(0));
  }

  @Test
  void shouldKeepVersionWhenSameXmlIsDeployedAgain() {
    ProcessVersion first =
        store
            .deploy(deployment("d1", T0, resource("order.bpmn", bpmn("order", "a"), "order")))
            .processes()
            .get(0);

    DeploymentResult again =
        store.deploy(deployment("d2", at(10), resource("order.bpmn", bpmn("order", "a"), "order")));

    assertThat(again.deploymentId()).isEqualTo("d2");
    assertThat(again.processes()).containsExactly(first);
    assertThat(store.processes()).containsExactly(first);
  }

  @Test
  void shouldImportAnotherStoresVersionAsItIsAndOnlyOnce() {
    String xml = bpmn("order", "b");
    ProcessVersion theirs =
        new ProcessVersion(
            "order:3",
            "order",
            3,
            "order",
            "their-deployment",
            "order.bpmn",
            DeploymentPlan.checksum(xml),
            at(5));

    store.importProcess(theirs, xml);
    store.importProcess(theirs, xml);

    assertThat(store.process("order", 3)).contains(theirs);
    assertThat(store.processXml("order", 3)).contains(xml);
    assertThat(store.processes()).containsExactly(theirs);
    String other = bpmn("order", "c");
    ProcessVersion conflicting =
        new ProcessVersion(
            "order:3",
            "order",
            3,
            "order",
            "another-deployment",
            "order.bpmn",
            DeploymentPlan.checksum(other),
            at(6));
    assertThatThrownBy(() -> store.importProcess(conflicting, other))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("process 'order' version 3")
        .hasMessageContaining("their-deployment");
    assertThat(store.processXml("order", 3)).contains(xml);
    assertThat(
            store
                .deploy(deployment("d9", at(10), resource("order.bpmn", other, "order")))
                .processes()
                .getFirst()
                .version())
        .as("the next local deployment comes after the imported version")
        .isEqualTo(4);
  }

  @Test
  void shouldAssignNextVersionToChangedXml() {
    store.deploy(deployment("d1", T0, resource("order.bpmn", bpmn("order", "a"), "order")));

    ProcessVersion second =
        store
            .deploy(deployment("d2", at(10), resource("order.bpmn", bpmn("order", "b"), "order")))
            .processes()
            .get(0);

    assertThat(second.version()).isEqualTo(2);
    assertThat(second.key()).isEqualTo("order:2");
    assertThat(second.deploymentId()).isEqualTo("d2");
    assertThat(store.latestProcess("order")).contains(second);
  }

  @Test
  void shouldGiveAChangedXmlThatReturnsToAnOlderTextANewVersion() {
    store.deploy(deployment("d1", T0, resource("o.bpmn", bpmn("order", "a"), "order")));
    store.deploy(deployment("d2", T0, resource("o.bpmn", bpmn("order", "b"), "order")));

    // Only the latest version counts as "unchanged".
    ProcessVersion third =
        store
            .deploy(deployment("d3", T0, resource("o.bpmn", bpmn("order", "a"), "order")))
            .processes()
            .get(0);

    assertThat(third.version()).isEqualTo(3);
  }

  @Test
  void shouldVersionEveryProcessOfEveryResourceOfADeployment() {
    store.deploy(deployment("d1", T0, resource("a.bpmn", bpmn("alpha", "1"), "alpha")));

    DeploymentResult result =
        store.deploy(
            deployment(
                "d2",
                at(1),
                resource("a.bpmn", bpmn("alpha", "1"), "alpha"),
                resource("pair.bpmn", bpmn("beta", "1"), "beta", "gamma")));

    assertThat(result.processes())
        .extracting(ProcessVersion::key, ProcessVersion::deploymentId, ProcessVersion::resourceName)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("alpha:1", "d1", "a.bpmn"),
            org.assertj.core.groups.Tuple.tuple("beta:1", "d2", "pair.bpmn"),
            org.assertj.core.groups.Tuple.tuple("gamma:1", "d2", "pair.bpmn"));
  }

  @Test
  void shouldListProcessesOrderedByIdThenVersion() {
    store.deploy(deployment("d1", T0, resource("z.bpmn", bpmn("zulu", "1"), "zulu")));
    store.deploy(deployment("d2", T0, resource("a.bpmn", bpmn("alpha", "1"), "alpha")));
    store.deploy(deployment("d3", T0, resource("z.bpmn", bpmn("zulu", "2"), "zulu")));
    store.deploy(deployment("d4", T0, resource("a.bpmn", bpmn("alpha", "2"), "alpha")));

    assertThat(store.processes())
        .extracting(ProcessVersion::key)
        .containsExactly("alpha:1", "alpha:2", "zulu:1", "zulu:2");
  }

  @Test
  void shouldFindLatestAndSpecificVersionsAndNothingForUnknownOnes() {
    store.deploy(deployment("d1", T0, resource("o.bpmn", bpmn("order", "a"), "order")));
    store.deploy(deployment("d2", T0, resource("o.bpmn", bpmn("order", "b"), "order")));

    assertThat(store.latestProcess("order")).map(ProcessVersion::version).contains(2);
    assertThat(store.process("order", 1)).map(ProcessVersion::deploymentId).contains("d1");
    assertThat(store.process("order", 3)).isEmpty();
    assertThat(store.process("nope", 1)).isEmpty();
    assertThat(store.latestProcess("nope")).isEmpty();
    assertThat(store.processXml("order", 3)).isEmpty();
  }

  @Test
  void shouldReturnTheXmlOfTheResourceThatDefinedAVersion() {
    store.deploy(deployment("d1", T0, resource("o.bpmn", bpmn("order", "a"), "order")));
    store.deploy(
        deployment(
            "d2",
            T0,
            resource("o.bpmn", bpmn("order", "b"), "order"),
            resource("other.bpmn", bpmn("other", "b"), "other")));

    assertThat(store.processXml("order", 1)).contains(bpmn("order", "a"));
    assertThat(store.processXml("order", 2)).contains(bpmn("order", "b"));
    assertThat(store.processXml("other", 1)).contains(bpmn("other", "b"));
  }

  @Test
  void shouldRefuseADeploymentIdThatIsTakenAndWriteNothingOfIt() {
    store.deploy(deployment("d1", T0, resource("o.bpmn", bpmn("order", "a"), "order")));

    assertThatThrownBy(
            () ->
                store.deploy(deployment("d1", T0, resource("n.bpmn", bpmn("fresh", "a"), "fresh"))))
        .isInstanceOf(StoreException.class);

    assertThat(store.processes()).extracting(ProcessVersion::key).containsExactly("order:1");
  }

  @Test
  void shouldNeverGiveTwoConcurrentDeploymentsTheSameVersion() throws Exception {
    int deployers = 4;
    List<Callable<Integer>> tasks =
        IntStream.range(0, deployers)
            .<Callable<Integer>>mapToObj(
                i ->
                    () ->
                        store
                            .deploy(
                                deployment(
                                    "d" + i,
                                    T0,
                                    resource("o.bpmn", bpmn("order", "v" + i), "order")))
                            .processes()
                            .get(0)
                            .version())
            .toList();

    List<Integer> versions = runConcurrently(tasks);

    assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4);
    assertThat(store.processes()).extracting(ProcessVersion::version).containsExactly(1, 2, 3, 4);
  }

  // =============================================================== instances

  @Test
  void shouldKnowNothingOfAnUnknownInstance() {
    assertThat(store.instance("nope")).isEmpty();
    assertThat(store.history("nope")).isEmpty();
    assertThat(store.jobs("nope")).isEmpty();
  }

  @Test
  void shouldStoreANewInstanceWithSummaryVersionSnapshotAndEvents() {
    InstanceCommit commit = newInstance("i1");

    store.commit(List.of(commit));

    StoredInstance stored = store.instance("i1").orElseThrow();
    assertThat(stored.summary()).isEqualTo(commit.summary());
    assertThat(stored.version()).isEqualTo(1);
    assertThat(stored.snapshot()).isEqualTo(commit.snapshot());
    assertThat(store.history("i1")).isEqualTo(commit.events());
  }

  @Test
  void shouldReplaceSnapshotAndSummaryAndAppendEventsOnUpdate() {
    store.commit(List.of(newInstance("i1")));
    InstanceSummary ended = summary("i1", "order", "COMPLETED", "bk-i1", "cloud-a", null, 0);
    InstanceCommit next = update("i1", 1, 3);
    InstanceCommit completing =
        new InstanceCommit("i1", 1, 3, ended, next.snapshot(), next.events(), next.changes());

    store.commit(List.of(completing));

    StoredInstance stored = store.instance("i1").orElseThrow();
    assertThat(stored.version()).isEqualTo(3);
    assertThat(stored.summary()).isEqualTo(ended);
    assertThat(stored.snapshot().lastSeq()).isEqualTo(3);
    assertThat(store.history("i1")).extracting(EventRecord::seq).containsExactly(1L, 2L, 3L);
  }

  @Test
  void shouldAcceptAnEmptyBatch() {
    store.commit(List.of());

    assertThat(store.instances(allInstances())).isEmpty();
  }

  @Test
  void shouldRefuseANewInstanceWhoseIdExists() {
    store.commit(List.of(newInstance("i1")));

    assertThatThrownBy(() -> store.commit(List.of(newInstance("i1"))))
        .isInstanceOfSatisfying(
            StaleInstanceException.class, e -> assertThat(e.instanceIds()).containsExactly("i1"));

    assertThat(store.history("i1")).hasSize(1);
  }

  @Test
  void shouldRefuseANewInstanceAssumingALatestVersionThatANewerOneReplaced() {
    store.deploy(deployment("d1", T0, resource("o.bpmn", bpmn("order", "a"), "order")));
    store.deploy(deployment("d2", T0, resource("o.bpmn", bpmn("order", "b"), "order")));
    InstanceCommit onOne = assumingLatest(newInstance("i1"), 1);
    InstanceCommit onTwo = assumingLatest(newInstance("i2"), 2);

    assertThatThrownBy(() -> store.commit(List.of(onTwo, onOne)))
        .isInstanceOfSatisfying(
            StaleInstanceException.class, e -> assertThat(e.instanceIds()).containsExactly("i1"));
    assertThat(store.instance("i1")).isEmpty();
    assertThat(store.instance("i2")).isEmpty();

    store.commit(List.of(onTwo, assumingLatest(newInstance("i3"), 0)));
    assertThat(store.instance("i2")).isPresent();
    assertThat(store.instance("i3")).isPresent();
  }

  private static InstanceCommit assumingLatest(InstanceCommit c, int version) {
    return new InstanceCommit(
        c.instanceId(),
        c.expectedVersion(),
        c.newVersion(),
        c.summary(),
        c.snapshot(),
        c.events(),
        c.changes(),
        version);
  }

  @Test
  void shouldRefuseAnUpdateComputedFromAStaleVersion() {
    store.commit(List.of(newInstance("i1")));
    store.commit(List.of(update("i1", 1, 2)));

    assertThatThrownBy(() -> store.commit(List.of(update("i1", 1, 2))))
        .isInstanceOfSatisfying(
            StaleInstanceException.class, e -> assertThat(e.instanceIds()).containsExactly("i1"));
  }

  @Test
  void shouldRefuseAnUpdateOfAnInstanceThatDoesNotExist() {
    assertThatThrownBy(() -> store.commit(List.of(update("ghost", 3, 4))))
        .isInstanceOf(StaleInstanceException.class);

    assertThat(store.instance("ghost")).isEmpty();
    assertThat(store.history("ghost")).isEmpty();
  }

  @Test
  void shouldRefuseWholeBatchWhenOneInstanceVersionIsStale() {
    store.commit(
        List.of(
            newInstance("a"),
            newInstance("b"),
            newInstance("c", new PutJob(job("c", 1, "mail", T0)))));
    InstanceSnapshot before = store.instance("a").orElseThrow().snapshot();

    List<InstanceCommit> batch =
        List.of(
            update("a", 1, 2, new PutJob(job("a", 1, "mail", T0))),
            newInstance(
                "d",
                new PutTimer(timer("d", 1, T0)),
                new PutOutbox(outboxRow("o1", T0, new InstanceCommand.CancelInstance("x")))),
            update("b", 5, 6),
            update("c", 1, 2, new RemoveJob("c:1")));

    assertThatThrownBy(() -> store.commit(batch))
        .isInstanceOfSatisfying(
            StaleInstanceException.class, e -> assertThat(e.instanceIds()).containsExactly("b"));

    StoredInstance a = store.instance("a").orElseThrow();
    assertThat(a.version()).isEqualTo(1);
    assertThat(a.snapshot()).isEqualTo(before);
    assertThat(store.history("a")).hasSize(1);
    assertThat(store.jobs("a")).isEmpty();
    assertThat(store.instance("d")).isEmpty();
    assertThat(store.history("d")).isEmpty();
    assertThat(store.nextTimerDue()).isEmpty();
    assertThat(store.outbox(10)).isEmpty();
    assertThat(store.job("c:1")).isPresent();
    assertThat(store.history("c")).hasSize(1);
  }

  @Test
  void shouldWriteNothingOfALargeBatchWithOneStaleInstance() {
    store.commit(List.of(newInstance("existing")));
    List<InstanceCommit> batch = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String id = "n%03d".formatted(i);
      batch.add(newInstance(id, new PutJob(job(id, 1, "mail", T0))));
    }
    batch.add(100, newInstance("existing"));

    assertThatThrownBy(() -> store.commit(batch))
        .isInstanceOfSatisfying(
            StaleInstanceException.class,
            e -> assertThat(e.instanceIds()).containsExactly("existing"));

    assertThat(store.instances(allInstances()))
        .extracting(InstanceSummary::id)
        .containsExactly("existing");
    assertThat(store.lockJobs(new JobLockRequest(List.of(), "w", at(1), at(60), 1000))).isEmpty();
  }

  @Test
  void shouldCommitABatchOfManyInstancesAtOnce() {
    List<InstanceCommit> batch = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      String id = "n%03d".formatted(i);
      batch.add(
          newInstance(id, new PutJob(job(id, 1, "mail", T0)), new PutTimer(timer(id, 2, at(i)))));
    }

    store.commit(batch);

    assertThat(store.instances(allInstances())).hasSize(250);
    assertThat(store.dueTimers(at(1000), 1000)).hasSize(250);
    assertThat(store.history("n249")).hasSize(1);
  }

  @Test
  void shouldApplySuccessiveCommitsOfOneInstanceWithinOneBatch() {
    store.commit(
        List.of(
            newInstance("i1", new PutJob(job("i1", 1, "mail", T0))),
            update("i1", 1, 3, new RemoveJob("i1:1")),
            update("i1", 3, 4, new PutJob(job("i1", 2, "sms", T0)))));

    assertThat(store.instance("i1").orElseThrow().version()).isEqualTo(4);
    assertThat(store.history("i1")).extracting(EventRecord::seq).containsExactly(1L, 2L, 3L, 4L);
    assertThat(store.jobs("i1")).extracting(JobRow::key).containsExactly("i1:2");
  }

  @Test
  void shouldLetOnlyOneOfConcurrentWritersOfAnInstanceWin() throws Exception {
    store.commit(List.of(newInstance("i1")));
    int writers = 4;
    List<Callable<Boolean>> tasks =
        IntStream.range(0, writers)
            .<Callable<Boolean>>mapToObj(
                i ->
                    () -> {
                      try {
                        store.commit(
                            List.of(update("i1", 1, 2, new PutJob(job("i1", i, "t", T0)))));
                        return true;
                      } catch (StaleInstanceException e) {
                        return false;
                      }
                    })
            .toList();

    List<Boolean> won = runConcurrently(tasks);

    assertThat(won).containsOnlyOnce(true);
    assertThat(store.history("i1")).hasSize(2);
    assertThat(store.jobs("i1")).hasSize(1);
  }

  @Test
  void shouldRoundTripSnapshotWithNestedVariables() {
    InstanceSnapshot snapshot = fullSnapshot("i1");
    InstanceCommit created = newInstance("i1");

    store.commit(
        List.of(
            new InstanceCommit(
                "i1", 0, 1, created.summary(), snapshot, created.events(), List.of())));

    InstanceSnapshot read = store.instance("i1").orElseThrow().snapshot();
    assertThat(read).isEqualTo(snapshot);
    Map<String, Object> variables = read.variables().get(1L);
    assertThat(variables).isEqualTo(nestedVariables());
    assertThat(variables.get("long")).isInstanceOf(Long.class).isEqualTo(9_007_199_254_740_993L);
    assertThat(variables.get("negative")).isInstanceOf(Long.class);
    assertThat(variables.get("decimal"))
        .isInstanceOf(BigDecimal.class)
        .isEqualTo(new BigDecimal("12345678901234567890.000000000123"));
    assertThat(((BigDecimal) ((Map<?, ?>) variables.get("object")).get("price")).scale())
        .isEqualTo(2);
    assertThat(variables).containsEntry("nothing", null);
    assertThat(read.variables().keySet()).allSatisfy(k -> assertThat(k).isInstanceOf(Long.class));
    assertThat(read.elements().get(5L).loopCounter()).isEqualTo(1);
  }

  @Test
  void shouldRoundTripEveryEventType() {
    List<InstanceEvent> events = new ArrayList<>(everyRecordOf(InstanceEvent.class, false));
    events.addAll(everyRecordOf(InstanceEvent.class, true));
    List<EventRecord> records = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      records.add(new EventRecord(i + 1, at(i), events.get(i)));
    }
    InstanceCommit created = newInstance("i1");

    store.commit(
        List.of(
            new InstanceCommit(
                "i1",
                0,
                records.size(),
                created.summary(),
                created.snapshot(),
                records,
                List.of())));

    List<EventRecord> history = store.history("i1");
    assertThat(history).hasSize(records.size());
    for (int i = 0; i < records.size(); i++) {
      assertThat(history.get(i)).as("event %s", records.get(i)).isEqualTo(records.get(i));
    }
    assertThat(history)
        .extracting(EventRecord::type)
        .containsAll(
            List.of(InstanceEvent.class.getPermittedSubclasses()).stream()
                .map(Class::getSimpleName)
                .toList());
  }

  @Test
  void shouldReturnHistoryInSequenceOrderAcrossCommits() {
    store.commit(List.of(newInstance("i1"), newInstance("i2")));
    store.commit(List.of(update("i1", 1, 9), update("i2", 1, 2)));
    store.commit(List.of(update("i1", 9, 12)));

    assertThat(store.history("i1"))
        .extracting(EventRecord::seq)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
    assertThat(store.history("i2")).extracting(EventRecord::seq).containsExactly(1L, 2L);
  }

  // =============================================================== instance queries

  @Test
  void shouldFilterInstancesByStateProcessBusinessKeyCloudAndParent() {
    store.commit(
        List.of(
            newInstance("i1", summary("i1", "order", "ACTIVE", "bk-1", "eu", null, 0)),
            newInstance("i2", summary("i2", "order", "COMPLETED", "bk-2", "us", null, 0)),
            newInstance("i3", summary("i3", "refund", "ACTIVE", "bk-1", "eu", "i1", 0)),
            newInstance("i4", summary("i4", "refund", "ACTIVE", "bk-4", "us", "i1", 2))));

    assertThat(ids(query("ACTIVE", null, null, null, null))).containsExactly("i1", "i3", "i4");
    assertThat(ids(query("COMPLETED", null, null, null, null))).containsExactly("i2");
    assertThat(ids(query(null, "refund", null, null, null))).containsExactly("i3", "i4");
    assertThat(ids(query(null, null, "bk-1", null, null))).containsExactly("i1", "i3");
    assertThat(ids(query(null, null, null, "us", null))).containsExactly("i2", "i4");
    assertThat(ids(query(null, null, null, null, "i1"))).containsExactly("i3", "i4");
    assertThat(ids(query("ACTIVE", "order", "bk-1", "eu", null))).containsExactly("i1");
    assertThat(ids(query(null, null, null, null, null))).containsExactly("i1", "i2", "i3", "i4");
    assertThat(ids(query("INCIDENT", null, null, null, null))).containsExactly("i4");
  }

  @Test
  void shouldCountRunningInstancesByOwnerCloud() {
    assertThat(store.runningInstancesByOwner()).isEmpty();
    store.commit(
        List.of(
            newInstance("i1", summary("i1", "order", "ACTIVE", "bk-1", "us", null, 0)),
            newInstance("i2", summary("i2", "order", "ACTIVE", "bk-2", "eu", null, 0)),
            newInstance("i3", summary("i3", "order", "COMPLETED", "bk-3", "eu", null, 0)),
            newInstance("i4", summary("i4", "refund", "ACTIVE", "bk-4", "eu", "i1", 3)),
            newInstance("i5", summary("i5", "order", "CANCELED", "bk-5", "us", null, 0)),
            newInstance("i6", summary("i6", "order", "ACTIVE", "bk-6", null, null, 0)),
            newInstance("i7", summary("i7", "order", "ACTIVE", "bk-7", "ap", null, 0))));

    assertThat(store.runningInstancesByOwner())
        .as("ended and ownerless instances are not counted; clouds in name order")
        .containsExactly(Map.entry("ap", 1L), Map.entry("eu", 2L), Map.entry("us", 1L));

    InstanceCommit next = update("i2", 1, 2);
    InstanceCommit takenOver =
        new InstanceCommit(
            "i2",
            1,
            2,
            summary("i2", "order", "ACTIVE", "bk-2", "us", null, 0),
            next.snapshot(),
            next.events(),
            next.changes());
    InstanceCommit then = update("i7", 1, 2);
    InstanceCommit ended =
        new InstanceCommit(
            "i7",
            1,
            2,
            summary("i7", "order", "COMPLETED", "bk-7", "ap", null, 0),
            then.snapshot(),
            then.events(),
            then.changes());
    store.commit(List.of(takenOver, ended));

    assertThat(store.runningInstancesByOwner())
        .as("an instance counts for its new owner, and not at all once ended")
        .containsExactly(Map.entry("eu", 1L), Map.entry("us", 2L));
  }

  @Test
  void shouldPageInstancesById() {
    List<InstanceCommit> batch = new ArrayList<>();
    for (int i = 10; i > 0; i--) {
      batch.add(newInstance("i%02d".formatted(i)));
    }
    store.commit(batch);

    List<String> seen = new ArrayList<>();
    String after = null;
    List<InstanceSummary> page;
    do {
      page = store.instances(new InstanceQuery(null, null, null, null, null, 3, after));
      assertThat(page.size()).isLessThanOrEqualTo(3);
      page.forEach(s -> seen.add(s.id()));
      after = page.isEmpty() ? after : page.get(page.size() - 1).id();
    } while (!page.isEmpty());

    assertThat(seen)
        .containsExactly("i01", "i02", "i03", "i04", "i05", "i06", "i07", "i08", "i09", "i10");
    assertThat(ids(new InstanceQuery(null, null, null, null, null, 2, "i04")))
        .containsExactly("i05", "i06");
  }

  // =============================================================== jobs

  @Test
  void shouldLockDueUnlockedJobsForTheOwner() {
    JobRow mail = job("i1", 1, "mail", T0);
    store.commit(List.of(newInstance("i1", new PutJob(mail))));

    List<JobRow> locked = store.lockJobs(new JobLockRequest(List.of(), "w1", at(1), at(31), 10));

    JobRow expected =
        new JobRow(
            mail.key(),
            "i1",
            1,
            mail.elementId(),
            "mail",
            3,
            T0,
            "w1",
            at(31),
            mail.headers(),
            null);
    assertThat(locked).containsExactly(expected);
    assertThat(store.job(mail.key())).contains(expected);
    assertThat(store.jobs("i1")).containsExactly(expected);
  }

  @Test
  void shouldNotLockJobsThatAreNotDueYet() {
    store.commit(List.of(newInstance("i1", new PutJob(job("i1", 1, "mail", at(10))))));

    assertThat(store.lockJobs(new JobLockRequest(List.of(), "w", at(9), at(60), 10))).isEmpty();
    assertThat(store.lockJobs(new JobLockRequest(List.of(), "w", at(10), at(60), 10))).hasSize(1);
  }

  @Test
  void shouldNotLockJobsThatAnotherOwnerHolds() {
    store.commit(List.of(newInstance("i1", new PutJob(job("i1", 1, "mail", T0)))));
    store.lockJobs(new JobLockRequest(List.of(), "w1", at(1), at(30), 10));

    assertThat(store.lockJobs(new JobLockRequest(List.of(), "w2", at(2), at(60), 10))).isEmpty();
    assertThat(store.lockJobs(new JobLockRequest(List.of(), "w1", at(2), at(60), 10))).isEmpty();
    assertThat(store.job("i1:1").orElseThrow().lockOwner()).isEqualTo("w1");
  }

  @Test
  void shouldNotLockJobsInsertedAlreadyLockedByThisNode() {
    JobRow running =
        new JobRow("i1:1", "i1", 1, "t", "mail", 3, T0, "node-1", at(30), Map.of(), null);
    store.commit(List.of(newInstance("i1", new PutJob(running))));

    assertThat(store.lockJobs(new JobLockRequest(List.of(), "w2", at(1), at(60), 10))).isEmpty();
    assertThat(store.job("i1:1")).contains(running);
  }

  @Test
  void shouldReclaimJobWhoseLockExpired() {
    store.commit(List.of(newInstance("i1", new PutJob(job("i1", 1, "mail", T0)))));
    store.lockJobs(new JobLockRequest(List.of(), "w1", at(1), at(30), 10));

    List<JobRow> reclaimed =
        store.lockJobs(new JobLockRequest(List.of(), "w2", at(31), at(90), 10));

    assertThat(reclaimed)
        .singleElement()
        .satisfies(
            j -> {
              assertThat(j.lockOwner()).isEqualTo("w2");
              assertThat(j.lockExpiresAt()).isEqualTo(at(90));
            });
    assertThat(store.job("i1:1").orElseThrow().lockOwner()).isEqualTo("w2");
  }

  @Test
  void shouldKeepTheFirstSharedSecretAndHandItToEveryLaterCaller() {
    assertThat(store.sharedSecret("callbacks", () -> "first")).isEqualTo("first");
    assertThat(store.sharedSecret("callbacks", () -> "second")).isEqualTo("first");
    assertThat(store.sharedSecret("other", () -> "x")).isEqualTo("x");
  }

  @Test
  void shouldLockJobsByWhereTheyArePlaced() {
    JobRow unplaced = job("i1", 1, "mail", T0);
    JobRow here = placed(job("i1", 2, "mail", T0), "private");
    JobRow there = placed(job("i1", 3, "mail", T0), "public-a");
    store.commit(
        List.of(newInstance("i1", new PutJob(unplaced), new PutJob(here), new PutJob(there))));

    List<JobRow> outside =
        store.lockJobs(
            new JobLockRequest(
                List.of(), "w1", at(1), at(30), 10, StoreRows.CloudScope.outside("private")));
    List<JobRow> inside =
        store.lockJobs(
            new JobLockRequest(
                List.of("mail"), "w2", at(1), at(30), 10, StoreRows.CloudScope.in("private")));

    assertThat(outside).extracting(JobRow::key).containsExactly("i1:3");
    assertThat(inside).extracting(JobRow::key).containsExactly("i1:1", "i1:2");
  }

  private static JobRow placed(JobRow j, String cloud) {
    return new JobRow(
        j.key(),
        j.instanceId(),
        j.elementInstanceKey(),
        j.elementId(),
        j.type(),
        j.retries(),
        j.dueAt(),
        j.lockOwner(),
        j.lockExpiresAt(),
        j.headers(),
        cloud);
  }

  @Test
  void shouldExtendTheLockOnlyForItsOwner() {
    store.commit(List.of(newInstance("i1", new PutJob(job("i1", 1, "mail", T0)))));
    store.lockJobs(new JobLockRequest(List.of(), "w1", at(1), at(30), 10));

    assertThat(store.extendJobLock("i1:1", "w2", at(500))).isFalse();
    assertThat(store.extendJobLock("i1:9", "w1", at(500))).isFalse();
    assertThat(store.extendJobLock("i1:1", "w1", at(500))).isTrue();

    assertThat(store.job("i1:1").orElseThrow().lockExpiresAt()).isEqualTo(at(500));
    assertThat(store.lockJobs(new JobLockRequest(List.of(), "w2", at(100), at(200), 10))).isEmpty();
    assertThat(store.lockJobs(new JobLockRequest(List.of(), "w2", at(501), at(600), 10)))
        .hasSize(1);
  }

  @Test
  void shouldReleaseOnlyTheLocksOfTheGivenOwner() {
    store.commit(
        List.of(
            newInstance(
                "i1", new PutJob(job("i1", 1, "mail", T0)), new PutJob(job("i1", 2, "mail", T0)))));
    store.lockJobs(new JobLockRequest(List.of(), "w1", at(1), at(300), 1));
    store.lockJobs(new JobLockRequest(List.of(), "w2", at(1), at(300), 1));

    assertThat(store.releaseLocks("w1")).isEqualTo(1);

    assertThat(store.jobs("i1"))
        .extracting(JobRow::lockOwner)
        .containsExactlyInAnyOrder(null, "w2");
    assertThat(store.lockJobs(new JobLockRequest(List.of(), "w3", at(2), at(300), 10)))
        .singleElement()
        .satisfies(j -> assertThat(j.lockOwner()).isEqualTo("w3"));
  }

  @Test
  void shouldLockOnlyJobsOfTheRequestedTypes() {
    store.commit(
        List.of(
            newInstance(
                "i1",
                new PutJob(job("i1", 1, "mail", T0)),
                new PutJob(job("i1", 2, "sms", T0)),
                new PutJob(job("i1", 3, "fax", T0)))));

    assertThat(store.lockJobs(new JobLockRequest(List.of("mail", "fax"), "w", at(1), at(9), 10)))
        .extracting(JobRow::type)
        .containsExactlyInAnyOrder("mail", "fax");
    assertThat(store.lockJobs(new JobLockRequest(List.of(), "w", at(1), at(9), 10)))
        .extracting(JobRow::type)
        .containsExactly("sms");
  }

  @Test
  void shouldLockAtMostMaxJobsEarliestDueFirst() {
    store.commit(
        List.of(
            newInstance(
                "i1",
                new PutJob(job("i1", 1, "t", at(5))),
                new PutJob(job("i1", 2, "t", at(1))),
                new PutJob(job("i1", 3, "t", at(3))),
                new PutJob(job("i1", 4, "t", at(2))))));

    assertThat(store.lockJobs(new JobLockRequest(List.of(), "w", at(10), at(60), 2)))
        .extracting(JobRow::key)
        .containsExactlyInAnyOrder("i1:2", "i1:4");
    assertThat(store.lockJobs(new JobLockRequest(List.of(), "w", at(10), at(60), 5)))
        .extracting(JobRow::key)
        .containsExactlyInAnyOrder("i1:1", "i1:3");
  }

  @Test
  void shouldNeverHandTheSameJobToTwoConcurrentLockers() throws Exception {
    int jobCount = 300;
    List<IndexChange> puts = new ArrayList<>();
    for (int i = 0; i < jobCount; i++) {
      puts.add(new PutJob(job("i1", i, "t", at(i % 7))));
    }
    store.commit(List.of(newInstance("i1", puts.toArray(IndexChange[]::new))));
    int lockers = 4;
    List<Callable<List<JobRow>>> tasks =
        IntStream.range(0, lockers)
            .<Callable<List<JobRow>>>mapToObj(
                w ->
                    () -> {
                      List<JobRow> mine = new ArrayList<>();
                      List<JobRow> got;
                      do {
                        got =
                            store.lockJobs(
                                new JobLockRequest(List.of(), "w" + w, at(10), at(600), 7));
                        mine.addAll(got);
                      } while (!got.isEmpty());
                      return mine;
                    })
            .toList();

    List<List<JobRow>> perLocker = runConcurrently(tasks);

    List<String> all = perLocker.stream().flatMap(List::stream).map(JobRow::key).toList();
    assertThat(all).doesNotHaveDuplicates().hasSize(jobCount);
    for (List<JobRow> mine : perLocker) {
      for (JobRow j : mine) {
        assertThat(store.job(j.key()).orElseThrow().lockOwner()).isEqualTo(j.lockOwner());
      }
    }
  }

  @Test
  void shouldReplaceAJobWithTheSameKeyAndForgetARemovedOne() {
    store.commit(
        List.of(
            newInstance(
                "i1", new PutJob(job("i1", 1, "mail", T0)), new PutJob(job("i1", 2, "mail", T0)))));
    JobRow retried =
        new JobRow(
            "i1:1", "i1", 1, "task-1", "mail", 2, at(30), null, null, Map.of("a", "b"), "cloud-b");

    store.commit(
        List.of(
            update(
                "i1",
                1,
                2,
                new PutJob(retried),
                new RemoveJob("i1:2"),
                new RemoveJob("i1:never-existed"))));

    assertThat(store.jobs("i1")).containsExactly(retried);
    assertThat(store.job("i1:2")).isEmpty();
  }

  @Test
  void shouldReplaceABufferedMessageWithTheVersionThatRecordsWhoTookIt() {
    var m = message("m1", "paid", "k", T0, at(100));
    store.apply(List.of(new PutBufferedMessage(m)));
    var taken = m.takenBy("invoicing");
    store.commit(List.of(newInstance("i1", new PutBufferedMessage(taken))));

    assertThat(store.bufferedMessages("paid", "k", at(1)))
        .singleElement()
        .satisfies(
            b -> assertThat(b.takenBy()).containsExactly("billing", "shipping", "invoicing"));
  }

  // =============================================================== timers

  @Test
  void shouldKeepTimerStartEventTimersThatBelongToNoInstance() {
    TimerRow start = new TimerRow("start:order:every-hour", null, 3, "every-hour", at(60));
    store.apply(List.of(new PutTimer(start)));

    assertThat(store.dueTimers(at(60), 10)).containsExactly(start);
    assertThat(store.nextTimerDue()).contains(at(60));

    TimerRow next = new TimerRow("start:order:every-hour", null, 3, "every-hour", at(120));
    store.apply(List.of(new PutTimer(next)));
    assertThat(store.dueTimers(at(200), 10)).containsExactly(next);

    store.apply(List.of(new io.cob.engine.port.IndexChange.RemoveTimer("start:order:every-hour")));
    assertThat(store.nextTimerDue()).isEmpty();
  }

  @Test
  void shouldNeverHandTheSameTimerToTwoConcurrentLockers() throws Exception {
    List<IndexChange> puts = new java.util.ArrayList<>();
    for (int n = 1; n <= 40; n++) {
      puts.add(new PutTimer(timer("i1", n, at(n))));
    }
    store.commit(List.of(newInstance("i1", puts.toArray(IndexChange[]::new))));
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<List<TimerRow>>> calls = new java.util.ArrayList<>();
      for (int w = 0; w < 8; w++) {
        String owner = "node-" + w;
        calls.add(
            pool.submit(
                () ->
                    store.lockTimers(
                        new io.cob.engine.port.StoreRows.TimerLockRequest(
                            owner, at(100), at(200), 7))));
      }
      List<String> all = new java.util.ArrayList<>();
      for (var call : calls) {
        call.get().forEach(t -> all.add(t.key()));
      }
      assertThat(all).doesNotHaveDuplicates().hasSize(40);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldHandATimerToAnotherNodeOnlyWhenItsLockExpired() {
    store.commit(List.of(newInstance("i1", new PutTimer(timer("i1", 1, at(5))))));
    var first =
        store.lockTimers(
            new io.cob.engine.port.StoreRows.TimerLockRequest("a", at(10), at(40), 10));
    assertThat(first)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.lockOwner()).isEqualTo("a");
              assertThat(t.lockExpiresAt()).isEqualTo(at(40));
            });
    assertThat(
            store.lockTimers(
                new io.cob.engine.port.StoreRows.TimerLockRequest("b", at(20), at(50), 10)))
        .isEmpty();
    assertThat(
            store.lockTimers(
                new io.cob.engine.port.StoreRows.TimerLockRequest("b", at(41), at(70), 10)))
        .singleElement()
        .satisfies(t -> assertThat(t.lockOwner()).isEqualTo("b"));
    assertThat(
            store.lockTimers(
                new io.cob.engine.port.StoreRows.TimerLockRequest("c", at(4), at(70), 10)))
        .isEmpty();
    assertThat(store.releaseLocks("b")).isEqualTo(1);
    assertThat(
            store.lockTimers(
                new io.cob.engine.port.StoreRows.TimerLockRequest("c", at(42), at(70), 10)))
        .hasSize(1);
  }

  @Test
  void shouldReturnDueTimersEarliestFirstUpToMax() {
    store.commit(
        List.of(
            newInstance(
                "i1",
                new PutTimer(timer("i1", 1, at(30))),
                new PutTimer(timer("i1", 2, at(10))),
                new PutTimer(timer("i1", 3, at(20))),
                new PutTimer(timer("i1", 4, at(40))))));

    assertThat(store.dueTimers(at(30), 10))
        .extracting(TimerRow::key)
        .containsExactly("i1:2", "i1:3", "i1:1");
    assertThat(store.dueTimers(at(30), 2))
        .extracting(TimerRow::key)
        .containsExactly("i1:2", "i1:3");
    assertThat(store.dueTimers(at(5), 10)).isEmpty();
    assertThat(store.dueTimers(at(100), 10))
        .containsExactly(
            timer("i1", 2, at(10)),
            timer("i1", 3, at(20)),
            timer("i1", 1, at(30)),
            timer("i1", 4, at(40)));
  }

  @Test
  void shouldReportTheEarliestTimerDue() {
    assertThat(store.nextTimerDue()).isEmpty();
    store.commit(
        List.of(
            newInstance(
                "i1", new PutTimer(timer("i1", 1, at(30))), new PutTimer(timer("i1", 2, at(10))))));

    assertThat(store.nextTimerDue()).contains(at(10));

    store.commit(List.of(update("i1", 1, 2, new RemoveTimer("i1:2"))));
    assertThat(store.nextTimerDue()).contains(at(30));
  }

  // =============================================================== subscriptions

  @Test
  void shouldFindSubscriptionsByNameAndCorrelationKey() {
    SubscriptionRow paid1 = subscription("i1", 1, "paid", "order-1");
    SubscriptionRow paid2 = subscription("i2", 1, "paid", "order-2");
    SubscriptionRow shipped1 = subscription("i1", 2, "shipped", "order-1");
    SubscriptionRow paid1b = subscription("i3", 1, "paid", "order-1");
    store.commit(
        List.of(
            newInstance("i1", new PutSubscription(paid1), new PutSubscription(shipped1)),
            newInstance("i2", new PutSubscription(paid2)),
            newInstance("i3", new PutSubscription(paid1b))));

    assertThat(store.subscriptions("paid", "order-1")).containsExactlyInAnyOrder(paid1, paid1b);
    assertThat(store.subscriptions("paid", "order-2")).containsExactly(paid2);
    assertThat(store.subscriptions("shipped", "order-2")).isEmpty();
    assertThat(store.subscriptions("paid", null)).isEmpty();
  }

  @Test
  void shouldFindSubscriptionsByNameWithNullKeyOnlyAmongThoseWithoutKey() {
    SubscriptionRow anyPing = subscription("i1", 1, "ping", null);
    SubscriptionRow keyedPing = subscription("i2", 1, "ping", "k");
    store.commit(
        List.of(
            newInstance("i1", new PutSubscription(anyPing)),
            newInstance("i2", new PutSubscription(keyedPing))));

    assertThat(store.subscriptions("ping", null)).containsExactly(anyPing);
    assertThat(store.subscriptions("ping", "k")).containsExactly(keyedPing);

    store.commit(List.of(update("i1", 1, 2, new RemoveSubscription(anyPing.key()))));
    assertThat(store.subscriptions("ping", null)).isEmpty();
  }

  // =============================================================== buffered messages

  @Test
  void shouldReturnUnexpiredBufferedMessagesOldestFirst() {
    BufferedMessage later = message("m1", "paid", "k1", at(5), at(100));
    BufferedMessage earlier = message("m2", "paid", "k1", at(1), at(100));
    BufferedMessage shortLived = message("m3", "paid", "k1", at(2), at(10));
    BufferedMessage otherKey = message("m4", "paid", "k2", at(1), at(100));
    BufferedMessage noKey = message("m5", "paid", null, at(1), at(100));
    store.apply(
        List.of(
            new PutBufferedMessage(later),
            new PutBufferedMessage(earlier),
            new PutBufferedMessage(shortLived),
            new PutBufferedMessage(otherKey),
            new PutBufferedMessage(noKey)));

    assertThat(store.bufferedMessages("paid", "k1", at(6)))
        .containsExactly(earlier, shortLived, later);
    assertThat(store.bufferedMessages("paid", "k1", at(10))).containsExactly(earlier, later);
    assertThat(store.bufferedMessages("paid", null, at(6))).containsExactly(noKey);
    assertThat(store.bufferedMessages("other", "k1", at(6))).isEmpty();
    assertThat(store.bufferedMessages("paid", "k1", at(6)).get(0).variables())
        .isEqualTo(nestedVariables());
  }

  @Test
  void shouldDeleteBufferedMessagesThatExpired() {
    store.apply(
        List.of(
            new PutBufferedMessage(message("m1", "paid", "k", T0, at(10))),
            new PutBufferedMessage(message("m2", "paid", "k", T0, at(20))),
            new PutBufferedMessage(message("m3", "paid", null, T0, at(5)))));

    assertThat(store.deleteExpiredMessages(at(10))).isEqualTo(1);
    assertThat(store.deleteExpiredMessages(at(11))).isEqualTo(1);
    assertThat(store.bufferedMessages("paid", "k", at(11)))
        .extracting(BufferedMessage::id)
        .containsExactly("m2");
    assertThat(store.deleteExpiredMessages(at(11))).isZero();
  }

  @Test
  void shouldRemoveATakenBufferedMessageWithTheCommitThatTookIt() {
    store.apply(List.of(new PutBufferedMessage(message("m1", "paid", "k", T0, at(100)))));

    store.commit(List.of(newInstance("i1", new RemoveBufferedMessage("m1"))));

    assertThat(store.bufferedMessages("paid", "k", at(1))).isEmpty();
  }

  // =============================================================== user tasks

  @Test
  void shouldFilterUserTasksByInstanceProcessAssigneeAndCandidateGroup() {
    UserTaskRow t1 = userTask("i1", 1, "order", "ann", List.of("sales", "ops"));
    UserTaskRow t2 = userTask("i1", 2, "order", null, List.of("ops"));
    UserTaskRow t3 = userTask("i2", 1, "refund", "bob", List.of());
    store.commit(
        List.of(
            newInstance("i1", new PutUserTask(t1), new PutUserTask(t2)),
            newInstance("i2", new PutUserTask(t3))));

    assertThat(store.userTasks(new UserTaskQuery("i1", null, null, null, 0)))
        .containsExactlyInAnyOrder(t1, t2);
    assertThat(store.userTasks(new UserTaskQuery(null, "refund", null, null, 0)))
        .containsExactly(t3);
    assertThat(store.userTasks(new UserTaskQuery(null, null, "ann", null, 0))).containsExactly(t1);
    assertThat(store.userTasks(new UserTaskQuery(null, null, null, "ops", 0)))
        .containsExactlyInAnyOrder(t1, t2);
    assertThat(store.userTasks(new UserTaskQuery(null, null, null, "sales", 0)))
        .containsExactly(t1);
    assertThat(store.userTasks(new UserTaskQuery("i1", "order", null, "ops", 0)))
        .containsExactlyInAnyOrder(t1, t2);
    assertThat(store.userTasks(new UserTaskQuery(null, null, null, null, 0)))
        .containsExactlyInAnyOrder(t1, t2, t3);
    assertThat(store.userTasks(new UserTaskQuery(null, null, null, null, 2))).hasSize(2);
    assertThat(store.userTasks(new UserTaskQuery("i2", "order", null, null, 0))).isEmpty();
  }

  @Test
  void shouldFindAUserTaskByKeyUntilItIsRemoved() {
    UserTaskRow task =
        new UserTaskRow(
            "i1:1", "i1", 1, 5, "order", "review", null, null, List.of(), List.of(), null, null,
            T0);
    store.commit(List.of(newInstance("i1", new PutUserTask(task))));

    assertThat(store.userTask("i1:1")).contains(task);

    store.commit(List.of(update("i1", 1, 2, new RemoveUserTask("i1:1"))));
    assertThat(store.userTask("i1:1")).isEmpty();
  }

  // =============================================================== incidents

  @Test
  void shouldListOpenIncidentsOfOneInstanceOrOfAll() {
    store.commit(
        List.of(
            newInstance(
                "i1", new PutIncident(incident("i1", 1)), new PutIncident(incident("i1", 2))),
            newInstance("i2", new PutIncident(incident("i2", 1)))));

    assertThat(store.incidents("i1"))
        .containsExactlyInAnyOrder(incident("i1", 1), incident("i1", 2));
    assertThat(store.incidents(null)).hasSize(3);
    assertThat(store.incidents("i3")).isEmpty();

    store.commit(List.of(update("i1", 1, 2, new RemoveIncident("i1:1"))));
    assertThat(store.incidents("i1")).containsExactly(incident("i1", 2));
  }

  // =============================================================== outbox

  @Test
  void shouldRoundTripEveryCommandTypeThroughTheOutbox() {
    List<InstanceCommand> commands = new ArrayList<>(everyRecordOf(InstanceCommand.class, false));
    commands.addAll(everyRecordOf(InstanceCommand.class, true));
    List<OutboxRow> rows = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      InstanceCommand command = commands.get(i);
      rows.add(new OutboxRow("o%03d".formatted(i), at(i), command.instanceId(), command));
    }

    store.apply(rows.stream().<IndexChange>map(PutOutbox::new).toList());

    assertThat(store.outbox(1000)).isEqualTo(rows);
  }

  @Test
  void shouldListOutboxOldestFirstUpToMaxUntilDelivered() {
    OutboxRow second = outboxRow("o-b", at(2), new InstanceCommand.CancelInstance("x"));
    OutboxRow first = outboxRow("o-a", at(1), new InstanceCommand.CancelInstance("y"));
    OutboxRow third = outboxRow("o-c", at(3), new InstanceCommand.TriggerTimer("z", 4));
    store.commit(List.of(newInstance("i1", new PutOutbox(second), new PutOutbox(third))));
    store.apply(List.of(new PutOutbox(first)));

    assertThat(store.outbox(2)).containsExactly(first, second);

    store.apply(List.of(new RemoveOutbox("o-a"), new RemoveOutbox("o-b")));
    assertThat(store.outbox(10)).containsExactly(third);
  }

  // =============================================================== apply

  @Test
  void shouldApplyTheLaterOfTwoChangesToOneRowWithinOneWrite() {
    JobRow first = job("i1", 1, "mail", T0);
    JobRow second = job("i1", 1, "sms", T0);
    store.commit(
        List.of(
            newInstance(
                "i1",
                new PutJob(first),
                new PutJob(second),
                new PutTimer(timer("i1", 2, T0)),
                new RemoveTimer("i1:2"),
                new RemoveIncident("i1:3"),
                new PutIncident(incident("i1", 3)))));

    assertThat(store.job("i1:1")).contains(second);
    assertThat(store.nextTimerDue()).isEmpty();
    assertThat(store.incidents("i1")).containsExactly(incident("i1", 3));

    store.apply(
        List.of(
            new PutBufferedMessage(message("m1", "n", null, T0, at(9))),
            new RemoveBufferedMessage("m1")));
    assertThat(store.bufferedMessages("n", null, T0)).isEmpty();
  }

  @Test
  void shouldApplyEveryKindOfIndexChange() {
    store.apply(
        List.of(
            new PutJob(job("x", 1, "t", T0)),
            new PutTimer(timer("x", 2, T0)),
            new PutSubscription(subscription("x", 3, "m", "k")),
            new PutUserTask(userTask("x", 4, "p", null, List.of("g"))),
            new PutIncident(incident("x", 5)),
            new PutBufferedMessage(message("m1", "m", "k", T0, at(9))),
            new PutOutbox(outboxRow("o1", T0, new InstanceCommand.CancelInstance("x")))));

    assertThat(store.jobs("x")).hasSize(1);
    assertThat(store.dueTimers(T0, 10)).hasSize(1);
    assertThat(store.subscriptions("m", "k")).hasSize(1);
    assertThat(store.userTask("x:4")).isPresent();
    assertThat(store.incidents("x")).hasSize(1);
    assertThat(store.bufferedMessages("m", "k", T0)).hasSize(1);
    assertThat(store.outbox(10)).hasSize(1);

    store.apply(
        List.of(
            new RemoveJob("x:1"),
            new RemoveTimer("x:2"),
            new RemoveSubscription("x:3"),
            new RemoveUserTask("x:4"),
            new RemoveIncident("x:5"),
            new RemoveBufferedMessage("m1"),
            new RemoveOutbox("o1")));

    assertThat(store.jobs("x")).isEmpty();
    assertThat(store.dueTimers(T0, 10)).isEmpty();
    assertThat(store.subscriptions("m", "k")).isEmpty();
    assertThat(store.userTask("x:4")).isEmpty();
    assertThat(store.incidents("x")).isEmpty();
    assertThat(store.bufferedMessages("m", "k", T0)).isEmpty();
    assertThat(store.outbox(10)).isEmpty();
  }

  @Test
  void shouldAcceptAnEmptyListOfChanges() {
    store.apply(List.of());

    assertThat(store.outbox(10)).isEmpty();
  }

  // =============================================================== values and lifecycle

  @Test
  void shouldNotLetCallersChangeStoredState() {
    Map<String, Object> inner = new java.util.HashMap<>(Map.of("a", 1L));
    Map<String, Object> vars = new java.util.HashMap<>(Map.of("inner", inner));
    InstanceCommit created = newInstance("i1");
    InstanceSnapshot base = created.snapshot();
    Map<Long, Map<String, Object>> scopes = new java.util.HashMap<>(Map.of(1L, vars));
    InstanceSnapshot snapshot =
        new InstanceSnapshot(
            base.instanceId(),
            base.processId(),
            base.version(),
            base.businessKey(),
            base.status(),
            base.parentInstanceId(),
            base.parentElementKey(),
            base.ownerCloud(),
            base.epoch(),
            base.startedAt(),
            base.endedAt(),
            base.lastSeq(),
            base.nextKey(),
            base.elements(),
            scopes,
            base.joinArrivals(),
            base.jobs(),
            base.timers(),
            base.subscriptions(),
            base.userTasks(),
            base.incidents(),
            base.traceparent());
    store.commit(
        List.of(
            new InstanceCommit(
                "i1", 0, 1, created.summary(), snapshot, created.events(), List.of())));

    inner.put("a", 2L);
    vars.put("b", "changed");
    scopes.put(2L, Map.of());

    InstanceSnapshot read = store.instance("i1").orElseThrow().snapshot();
    assertThat(read.variables()).containsOnlyKeys(1L);
    assertThat(read.variables().get(1L)).isEqualTo(Map.of("inner", Map.of("a", 1L)));
    try {
      read.variables().get(1L).put("sneaky", true);
    } catch (UnsupportedOperationException expected) {
      // an unmodifiable view is one way to protect stored state
    }
    assertThat(store.instance("i1").orElseThrow().snapshot().variables().get(1L))
        .isEqualTo(Map.of("inner", Map.of("a", 1L)));
  }

  @Test
  void shouldFailWithStoreExceptionOnceClosed() {
    store.close();

    assertThatThrownBy(() -> store.instance("i1")).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.commit(List.of(newInstance("i1"))))
        .isInstanceOf(StoreException.class);
    store = null;
  }

  // =============================================================== helpers

  private static InstanceQuery allInstances() {
    return new InstanceQuery(null, null, null, null, null, 0, null);
  }

  private static InstanceQuery query(
      String state, String processId, String businessKey, String cloud, String parent) {
    return new InstanceQuery(state, processId, businessKey, cloud, parent, 0, null);
  }

  private List<String> ids(InstanceQuery query) {
    return store.instances(query).stream().map(InstanceSummary::id).toList();
  }

  /** Runs the tasks on their own threads, all released at once; returns results in task order. */
  protected static <T> List<T> runConcurrently(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return task.call();
                }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
