package io.cob.engine.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.engine.EngineHarness;
import io.cob.engine.TestModels;
import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent.OwnershipTaken;
import io.cob.engine.port.JobResult;
import io.cob.engine.port.StoreRows.ProcessVersion;
import io.cob.engine.port.StoreRows.UserTaskQuery;
import io.cob.engine.processor.ProcessingResult;
import io.cob.engine.runtime.CommandRejectedException;
import io.cob.engine.state.InstanceState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A standby cloud's replica of an instance, built from the owner's committed events, and the
 * standby taking the instance over: the replica equals the owner's state, nothing runs it while it
 * is a replica, and after the take-over its job, user task, timer and message subscription all work
 * on the standby under a new epoch.
 */
class ReplicaAndTakeOverTest {
  @RegisterExtension final EngineHarness owner = new EngineHarness().cloud("private");

  private final AtomicInteger standbyRuns = new AtomicInteger();

  @RegisterExtension
  final EngineHarness standby =
      new EngineHarness()
          .cloud("public-b")
          .handler(
              "work",
              job -> {
                standbyRuns.incrementAndGet();
                return JobResult.complete(Map.of("workedOn", "public-b"));
              });

  /** approve (user task) → work (job) → an hour → paid (message) → end. */
  static final String MODEL =
      TestModels.definitions(
          TestModels.processElement(
                  "order",
                  "<startEvent id=\"s\"/><userTask id=\"approve\"/>"
                      + TestModels.serviceTask("work", "work")
                      + "<intermediateCatchEvent id=\"wait\"><timerEventDefinition>"
                      + "<timeDuration>PT1H</timeDuration></timerEventDefinition>"
                      + "</intermediateCatchEvent>"
                      + "<intermediateCatchEvent id=\"paid\">"
                      + "<messageEventDefinition messageRef=\"m\"/></intermediateCatchEvent>"
                      + "<endEvent id=\"e\"/>",
                  "s->approve",
                  "approve->work",
                  "work->wait",
                  "wait->paid",
                  "paid->e")
              + "<message id=\"m\" name=\"paid\"><extensionElements>"
              + "<zeebe:subscription correlationKey=\"=orderId\"/></extensionElements></message>");

  private String startAtTheOwner() {
    owner.deploy(MODEL);
    return owner.start("order", Map.of("orderId", "o-1")).id();
  }

  /** Ships the owner's log and the process version to the standby, as replication does. */
  private long replicate(String id) {
    ProcessVersion pv = owner.store().latestProcess("order").orElseThrow();
    standby
        .store()
        .importProcess(pv, owner.store().processXml("order", pv.version()).orElseThrow());
    return standby.engine().replicate(id, 0, owner.engine().history(id));
  }

  @Test
  void shouldKeepAReplicaEqualToTheOwnersStateThatNothingRuns() {
    String id = startAtTheOwner();
    owner.instance(id).completeUserTask("approve", Map.of("ok", true));

    long last = replicate(id);

    InstanceState ownerState = owner.engine().instance(id).orElseThrow();
    InstanceState replica = standby.engine().instance(id).orElseThrow();
    assertThat(last).isEqualTo(ownerState.lastSeq());
    assertThat(replica.toSnapshot()).isEqualTo(ownerState.toSnapshot());
    assertThat(replica.ownerCloud()).isEqualTo("private");
    assertThat(standby.engine().history(id)).isEqualTo(owner.engine().history(id));
    // A replica has no jobs, timers, subscriptions or tasks to act on here.
    standby.settle();
    assertThat(standby.store().jobs(id)).isEmpty();
    assertThat(standbyRuns).hasValue(0);
    assertThatThrownBy(() -> standby.engine().cancel(id))
        .isInstanceOf(CommandRejectedException.class)
        .hasMessageContaining("owned by cloud 'private'")
        .hasMessageContaining("holds a replica");
    assertThat(standby.engine().instance(id).orElseThrow().status()).isEqualTo("ACTIVE");
  }

  @Test
  void shouldSkipEventsAppliedBeforeAndRefuseAGap() {
    String id = startAtTheOwner();
    List<EventRecord> log = owner.engine().history(id);
    ProcessVersion pv = owner.store().latestProcess("order").orElseThrow();
    standby.store().importProcess(pv, owner.store().processXml("order", 1).orElseThrow());

    assertThatThrownBy(() -> standby.engine().replicate(id, 0, log.subList(2, log.size())))
        .isInstanceOf(CommandRejectedException.class)
        .hasMessageStartingWith(ProcessingResult.GAP + id)
        .hasMessageContaining("has events up to 0, the next sent is 3");
    assertThat(standby.engine().instance(id)).isEmpty();

    standby.engine().replicate(id, 0, log.subList(0, 2));
    assertThat(standby.engine().replicate(id, 0, log)).isEqualTo(log.size());
    assertThat(standby.engine().replicate(id, 0, log)).isEqualTo(log.size());
    assertThat(standby.engine().history(id)).isEqualTo(log);
  }

  @Test
  void shouldContinueEveryKindOfWaitOnTheStandbyAfterTheTakeOver() {
    String id = startAtTheOwner();
    replicate(id);

    long epoch = standby.engine().takeOwnership(id, "cloud 'private' failed");

    assertThat(epoch).isEqualTo(1);
    InstanceState taken = standby.engine().instance(id).orElseThrow();
    assertThat(taken.ownerCloud()).isEqualTo("public-b");
    assertThat(standby.engine().history(id).getLast().event())
        .isEqualTo(new OwnershipTaken("private", "public-b", 1, "cloud 'private' failed"));
    // the user task is listed here now and can be completed here
    assertThat(standby.store().userTasks(new UserTaskQuery(null, null, null, null, 100)))
        .singleElement()
        .satisfies(t -> assertThat(t.instanceId()).isEqualTo(id));
    standby.instance(id).completeUserTask("approve", Map.of());
    standby.settle();
    assertThat(standbyRuns).hasValue(1);
    assertThat(standby.instance(id).variables()).containsEntry("workedOn", "public-b");
    standby.advance(Duration.ofMinutes(61));
    assertThat(standby.instance(id).activeElements()).containsExactly("paid");
    standby.publish("paid", "o-1", Map.of(), Duration.ZERO);
    standby.settle();
    assertThat(standby.instance(id).status()).isEqualTo("COMPLETED");
  }

  @Test
  void shouldArmTheJobTheOwnerHadCreatedAndRefuseTheOldOwnersLaterEvents() {
    String id = startAtTheOwner();
    owner.instance(id).completeUserTask("approve", Map.of());
    List<EventRecord> beforeTheOwnerDied = owner.engine().history(id);
    replicate(id);
    owner.instance(id).completeJob("work", Map.of()); // committed by the owner, never shipped

    standby.engine().takeOwnership(id, "cloud 'private' failed");
    standby.settle();

    // the job the owner had created runs here, once, under the same element instance
    assertThat(standbyRuns).hasValue(1);
    assertThat(standby.instance(id).activeElements()).containsExactly("wait");
    List<EventRecord> ownersLog = owner.engine().history(id);
    assertThatThrownBy(() -> standby.engine().replicate(id, 0, ownersLog))
        .isInstanceOf(CommandRejectedException.class)
        .hasMessageContaining("cloud 'public-b' owns it since epoch 1");
    assertThat(standby.engine().history(id).subList(0, beforeTheOwnerDied.size()))
        .isEqualTo(beforeTheOwnerDied);
    assertThatThrownBy(() -> standby.engine().takeOwnership(id, "again"))
        .isInstanceOf(CommandRejectedException.class)
        .hasMessageContaining("owned by this cloud already");
  }

  @Test
  void shouldRefuseEventsOfAnOlderEpochThanTheReplicas() {
    String id = startAtTheOwner();
    replicate(id);
    standby.engine().takeOwnership(id, "test");
    // the standby's own copy says epoch 1; a third cloud replaying epoch-0 events is refused too
    EngineHarness third = new EngineHarness().cloud("public-a");
    try {
      ProcessVersion pv = standby.store().latestProcess("order").orElseThrow();
      third.store().importProcess(pv, standby.store().processXml("order", 1).orElseThrow());
      third.engine().replicate(id, 1, standby.engine().history(id));
      List<EventRecord> old = owner.engine().history(id);
      assertThatThrownBy(() -> third.engine().replicate(id, 0, old))
          .isInstanceOf(CommandRejectedException.class)
          .hasMessageContaining("epoch 0 refused: the replica is at epoch 1");
    } finally {
      third.close();
    }
  }

  @Test
  void shouldRefuseADeploymentNamingAStandbyCloudNobodyConfigured() {
    EngineHarness node =
        new EngineHarness()
            .cloud("private")
            .clouds(
                new io.cob.engine.TestClouds()
                    .add("private", "eu", null, null, 1)
                    .add("public-b", "eu", null, null, 1));
    try {
      assertThatThrownBy(
              () ->
                  node.deploy(
                      MODEL.replace(
                          "id=\"order\"", "id=\"order\" cob:standby=\"public-b, publc-c\"")))
          .isInstanceOf(io.cob.model.BpmnValidationException.class)
          .hasMessageContaining(
              "element 'order' (<process>): cob:standby names cloud 'publc-c', which is not"
                  + " configured (known clouds: private, public-b)");
      assertThat(node.store().latestProcess("order")).isEmpty();
      node.deploy(MODEL.replace("id=\"order\"", "id=\"order\" cob:standby=\"public-b\""));
      assertThat(node.store().latestProcess("order")).isPresent();
    } finally {
      node.close();
    }
  }

  @Test
  void shouldFenceOnlyTheInstancesOfAProcessWithStandbysOfItsOwn() {
    java.util.concurrent.atomic.AtomicReference<String> reason =
        new java.util.concurrent.atomic.AtomicReference<>();
    io.cob.engine.port.OwnershipFence byProcess =
        new io.cob.engine.port.OwnershipFence() {
          @Override
          public String fenced() {
            return null; // the cloud has no standbys
          }

          @Override
          public String fenced(io.cob.model.ProcessDefinition process) {
            return process.standbys().isEmpty() ? null : reason.get();
          }
        };
    EngineHarness node = new EngineHarness().cloud("public-a").fence(byProcess);
    try {
      node.deploy(MODEL);
      node.deploy(MODEL.replace("id=\"order\"", "id=\"kept\" cob:standby=\"public-b\""));
      String plain = node.start("order", Map.of("orderId", "o-1")).id();
      String kept = node.start("kept", Map.of("orderId", "o-2")).id();
      reason.set("the ownership lease of 'public-a' is not confirmed");

      String keptTask = node.instance(kept).userTask("approve").key();
      assertThatThrownBy(() -> node.engine().completeUserTask(keptTask, Map.of()))
          .isInstanceOf(CommandRejectedException.class)
          .hasMessageContaining("this node is fenced (the ownership lease of 'public-a'");
      assertThatThrownBy(() -> node.engine().startInstance("kept", 0, Map.of(), null))
          .hasMessageContaining("fenced");
      // the process without standbys of its own goes on: nobody could take it over
      node.engine().completeUserTask(node.instance(plain).userTask("approve").key(), Map.of());
      node.start("order", Map.of("orderId", "o-3"));
      node.settle();
      assertThat(node.instance(plain).userTasks()).isEmpty();
    } finally {
      node.close();
    }
  }

  @Test
  void shouldCommitNothingOnOwnInstancesWhileFencedYetKeepReplicasGoing() {
    java.util.concurrent.atomic.AtomicReference<String> reason =
        new java.util.concurrent.atomic.AtomicReference<>();
    AtomicInteger runs = new AtomicInteger();
    EngineHarness fenced =
        new EngineHarness()
            .cloud("public-a")
            .fence(reason::get)
            .handler(
                "work",
                job -> {
                  runs.incrementAndGet();
                  return JobResult.complete();
                });
    try {
      fenced.deploy(MODEL);
      String id = fenced.start("order", Map.of("orderId", "o-1")).id();
      String taskKey = fenced.instance(id).userTask("approve").key();
      long before = fenced.engine().history(id).size();

      reason.set("the ownership lease of 'public-a' is not confirmed");

      assertThatThrownBy(() -> fenced.engine().completeUserTask(taskKey, Map.of()))
          .isInstanceOf(CommandRejectedException.class)
          .hasMessageContaining("this node is fenced (the ownership lease of 'public-a'");
      assertThatThrownBy(() -> fenced.engine().startInstance("order", 0, Map.of(), null))
          .isInstanceOf(CommandRejectedException.class)
          .hasMessageContaining("fenced");
      assertThat(fenced.engine().history(id)).hasSize((int) before);
      // events of another cloud's instance still reach its replica here
      String other = startAtTheOwner();
      ProcessVersion pv = owner.store().latestProcess("order").orElseThrow();
      fenced.store().importProcess(pv, owner.store().processXml("order", 1).orElseThrow());
      assertThat(fenced.engine().replicate(other, 0, owner.engine().history(other))).isPositive();

      reason.set(null);
      fenced.engine().completeUserTask(taskKey, Map.of());
      fenced.settle();
      assertThat(runs).hasValue(1);
    } finally {
      fenced.close();
    }
  }

  /** s → paid (message, correlation key {@code orderId}) → end. */
  static final String WAITS_FOR_PAYMENT =
      TestModels.definitions(
          TestModels.processElement(
                  "pay",
                  "<startEvent id=\"s\"/><intermediateCatchEvent id=\"paid\">"
                      + "<messageEventDefinition messageRef=\"m\"/></intermediateCatchEvent>"
                      + "<endEvent id=\"e\"/>",
                  "s->paid",
                  "paid->e")
              + "<message id=\"m\" name=\"paid\"><extensionElements>"
              + "<zeebe:subscription correlationKey=\"=orderId\"/></extensionElements>"
              + "</message>");

  /**
   * A fenced node refuses a publication as it refuses a command (found by {@code
   * ManualFailoverAndFailBackIT}): every instance it could correlate to is its cloud's, so it
   * correlates to none; answering that none waited, or buffering the message, would lose it while
   * the cloud that took the instances over waits for it.
   */
  @Test
  void shouldRefuseAPublicationWhileFencedRatherThanLoseIt() {
    java.util.concurrent.atomic.AtomicReference<String> reason =
        new java.util.concurrent.atomic.AtomicReference<>();
    EngineHarness fenced = new EngineHarness().cloud("public-a").fence(reason::get);
    try {
      fenced.deploy(WAITS_FOR_PAYMENT);
      String id = fenced.start("pay", Map.of("orderId", "o-1")).id();
      long before = fenced.engine().history(id).size();

      reason.set("the ownership lease of 'public-a' is not confirmed");

      for (Duration ttl : List.of(Duration.ZERO, Duration.ofHours(1))) {
        assertThatThrownBy(() -> fenced.engine().publishMessage("paid", "o-1", Map.of(), ttl, null))
            .as("time to live %s", ttl)
            .isInstanceOf(CommandRejectedException.class)
            .hasMessageContaining("this node is fenced (the ownership lease of 'public-a'");
      }
      assertThatThrownBy(
              () -> fenced.engine().publishMessage("paid", null, Map.of(), Duration.ZERO, id))
          .isInstanceOf(CommandRejectedException.class)
          .hasMessageContaining("fenced");
      assertThat(fenced.engine().history(id)).hasSize((int) before);

      reason.set(null);
      // Nothing was buffered: an instance that begins to wait now gets no message.
      String later = fenced.start("pay", Map.of("orderId", "o-1")).id();
      assertThat(fenced.instance(later).activeElements()).containsExactly("paid");
      assertThat(
              fenced
                  .engine()
                  .publishMessage("paid", null, Map.of(), Duration.ZERO, id)
                  .correlated())
          .containsExactly(id);
      fenced.settle();
      assertThat(fenced.instance(id).status()).isEqualTo("COMPLETED");
    } finally {
      fenced.close();
    }
  }

  /**
   * The same where only the instances of one process are fenced (it names standbys of its own, the
   * cloud has none): a publication that reaches only those is refused, not answered as correlated
   * to none.
   */
  @Test
  void shouldRefuseAPublicationWhoseInstancesAreFencedByTheirProcess() {
    java.util.concurrent.atomic.AtomicReference<String> reason =
        new java.util.concurrent.atomic.AtomicReference<>();
    EngineHarness fenced =
        new EngineHarness()
            .cloud("public-a")
            .fence(
                new io.cob.engine.port.OwnershipFence() {
                  @Override
                  public String fenced() {
                    return null;
                  }

                  @Override
                  public String fenced(io.cob.model.ProcessDefinition process) {
                    return process.id().equals("pay") ? reason.get() : null;
                  }
                });
    try {
      fenced.deploy(WAITS_FOR_PAYMENT);
      String id = fenced.start("pay", Map.of("orderId", "o-1")).id();

      reason.set("the ownership lease of 'public-a' is not confirmed");

      assertThatThrownBy(
              () -> fenced.engine().publishMessage("paid", "o-1", Map.of(), Duration.ZERO, null))
          .isInstanceOf(CommandRejectedException.class)
          .hasMessageContaining("this node is fenced (the ownership lease of 'public-a'");
      assertThatThrownBy(
              () -> fenced.engine().publishMessage("paid", null, Map.of(), Duration.ZERO, id))
          .isInstanceOf(CommandRejectedException.class)
          .hasMessageContaining("fenced");
      // Nothing waits for another name: answered as before, correlated to none.
      assertThat(
              fenced
                  .engine()
                  .publishMessage("other", "o-1", Map.of(), Duration.ZERO, null)
                  .correlated())
          .isEmpty();

      reason.set(null);
      assertThat(
              fenced
                  .engine()
                  .publishMessage("paid", "o-1", Map.of(), Duration.ZERO, null)
                  .correlated())
          .containsExactly(id);
    } finally {
      fenced.close();
    }
  }

  @Test
  void shouldReportWhatTheFormerOwnerNeverShippedAndGiveTheInstanceBackOnFailBack() {
    String id = startAtTheOwner();
    replicate(id);
    // committed by the owner, never shipped: the standby never hears of it
    owner.instance(id).completeUserTask("approve", Map.of("approvedAt", "private"));
    long epoch = standby.engine().takeOwnership(id, "cloud 'private' failed");
    List<EventRecord> standbyLog = standby.engine().history(id);

    assertThatThrownBy(() -> owner.engine().replicate(id, epoch, standbyLog))
        .isInstanceOf(CommandRejectedException.class)
        .hasMessageStartingWith(ProcessingResult.TAKEN_OVER + id);
    List<EventRecord> conflict = owner.engine().adoptLog(id, epoch, standbyLog);

    assertThat(conflict).isNotEmpty();
    assertThat(conflict.getFirst().seq()).isEqualTo(standbyLog.size());
    assertThat(conflict).anySatisfy(e -> assertThat(e.type()).isEqualTo("UserTaskCompleted"));
    assertThat(owner.engine().history(id)).isEqualTo(standbyLog);
    assertThat(owner.engine().instance(id).orElseThrow().ownerCloud()).isEqualTo("public-b");
    assertThat(owner.store().jobs(id)).isEmpty();
    assertThat(owner.store().userTasks(new UserTaskQuery(id, null, null, null, 100)))
        .as("a replica lists no task")
        .isEmpty();
    standby
        .engine()
        .execute(
            new io.cob.engine.command.InstanceCommand.RecordConflict(
                id, "private", 0, conflict.stream().map(e -> e.seq() + " " + e.type()).toList()));
    assertThat(standby.engine().history(id).getLast().type()).isEqualTo("ReplicaConflict");

    // fail-back: the standby hands it back, the former owner applies that and owns it again
    long back = standby.engine().handOver(id, "private", "fail-back");
    assertThat(back).isEqualTo(2);
    assertThat(standby.store().userTasks(new UserTaskQuery(id, null, null, null, 100))).isEmpty();
    List<EventRecord> full = standby.engine().history(id);
    owner.engine().replicate(id, back, full);
    assertThat(owner.engine().instance(id).orElseThrow().ownerCloud()).isEqualTo("private");
    assertThat(owner.engine().history(id)).isEqualTo(full);
    owner.instance(id).completeUserTask("approve", Map.of());
    owner.instance(id).completeJob("work", Map.of());
    owner.advance(Duration.ofMinutes(61));
    owner.publish("paid", "o-1", Map.of(), Duration.ZERO);
    assertThat(owner.instance(id).status()).isEqualTo("COMPLETED");
  }
}
