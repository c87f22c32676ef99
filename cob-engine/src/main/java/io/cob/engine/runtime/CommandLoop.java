package io.cob.engine.runtime;

import io.cob.engine.command.InstanceCommand;
import io.cob.engine.command.InstanceCommand.CorrelateMessage;
import io.cob.engine.command.InstanceCommand.StartInstance;
import io.cob.engine.event.EventRecord;
import io.cob.engine.port.CommitTimer;
import io.cob.engine.port.IdGenerator;
import io.cob.engine.port.IndexChange;
import io.cob.engine.port.InstanceCommit;
import io.cob.engine.port.OwnershipFence;
import io.cob.engine.port.StaleInstanceException;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreRows.BufferedMessage;
import io.cob.engine.port.StoreRows.InstanceQuery;
import io.cob.engine.port.StoreRows.SubscriptionRow;
import io.cob.engine.processor.CommandProcessor;
import io.cob.engine.processor.IndexProjection;
import io.cob.engine.processor.MessageBuffer;
import io.cob.engine.processor.ProcessingResult;
import io.cob.engine.state.InstanceState;
import io.cob.engine.value.Values;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of a node: takes queued commands, applies each to its instance, and commits the
 * resulting events of all instances of a batch in one store transaction (group commit). Only after
 * the commit are callers answered and effects started (jobs handed to the executor, timers
 * scheduled, outbox commands delivered) - nothing happens outside before it is durable.
 *
 * <p>Instances are cached between batches; when a commit is refused because another node changed an
 * instance, the cached copies are dropped and the commands retried on fresh state.
 */
final class CommandLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(CommandLoop.class);
  private static final int MAX_RETRIES = 5;

  private final Store store;
  private final CommandProcessor processor;
  private final DeployedProcesses processes;
  private final Clock clock;
  private final IdGenerator ids;
  private final Effects effects;
  private final WorkTracker tracker;
  private final int maxBatch;
  private final CommitTimer commitTimer;
  private final OwnershipFence fence;
  private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
  private final Map<String, InstanceState> cache;
  private volatile boolean running = true;
  private final Thread thread;

  /** What the loop hands on after a commit. Called on the loop thread; must not block long. */
  interface Effects {
    /** Starts what a committed command asks for; returns when its caller may be answered. */
    java.util.concurrent.CompletionStage<Void> committed(
        InstanceState state, ProcessingResult result);
  }

  sealed interface Work {}

  /**
   * @param newId the command starts an instance under an id this node generated just now, which no
   *     instance can have: its first attempt does not look for the instance in the store (were the
   *     id taken after all, the store would refuse the commit and the retry would look)
   */
  record Command(
      InstanceCommand command,
      String outboxId,
      int attempt,
      CompletableFuture<ProcessingResult> done,
      boolean newId)
      implements Work {
    Command(
        InstanceCommand command,
        String outboxId,
        int attempt,
        CompletableFuture<ProcessingResult> done) {
      this(command, outboxId, attempt, done, false);
    }
  }

  record Publish(
      String messageId,
      String name,
      String correlationKey,
      Map<String, Object> variables,
      Duration timeToLive,
      String instanceId,
      String traceparent,
      CompletableFuture<PublishResult> done)
      implements Work {}

  CommandLoop(
      Store store,
      CommandProcessor processor,
      DeployedProcesses processes,
      Clock clock,
      IdGenerator ids,
      Effects effects,
      WorkTracker tracker,
      int maxBatch,
      int cacheSize,
      CommitTimer commitTimer,
      OwnershipFence fence) {
    this.store = store;
    this.fence = fence;
    this.processor = processor;
    this.processes = processes;
    this.clock = clock;
    this.ids = ids;
    this.effects = effects;
    this.tracker = tracker;
    this.maxBatch = maxBatch;
    this.commitTimer = commitTimer;
    this.cache =
        new LinkedHashMap<>(1024, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, InstanceState> eldest) {
            return size() > cacheSize;
          }
        };
    this.thread = Thread.ofPlatform().name("cob-writer").daemon(true).unstarted(this);
  }

  void start() {
    thread.start();
  }

  void stop() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  CompletableFuture<ProcessingResult> submit(InstanceCommand command, String outboxId) {
    CompletableFuture<ProcessingResult> done = new CompletableFuture<>();
    enqueue(new Command(command, outboxId, 0, done));
    return done;
  }

  /** Starts an instance under an id this node has just generated (see {@link Command#newId}). */
  CompletableFuture<ProcessingResult> submitNew(StartInstance start) {
    CompletableFuture<ProcessingResult> done = new CompletableFuture<>();
    enqueue(new Command(start, null, 0, done, true));
    return done;
  }

  CompletableFuture<PublishResult> publish(
      String messageId,
      String name,
      String correlationKey,
      Map<String, Object> variables,
      Duration ttl,
      String instanceId,
      String traceparent) {
    CompletableFuture<PublishResult> done = new CompletableFuture<>();
    enqueue(
        new Publish(
            messageId,
            name,
            correlationKey,
            Values.canonicalMap(variables),
            ttl,
            instanceId,
            traceparent,
            done));
    return done;
  }

  private void enqueue(Work w) {
    tracker.begin();
    if (!running) {
      tracker.end();
      fail(w, new IllegalStateException("the engine is stopped"));
      return;
    }
    queue.add(w);
  }

  @Override
  public void run() {
    List<Work> batch = new ArrayList<>(maxBatch);
    while (running) {
      try {
        Work first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        process(batch);
      } catch (InterruptedException e) {
        if (!running) {
          break;
        }
      } catch (RuntimeException e) {
        LOG.error("event=writer_failure batch={} error={}", batch.size(), e.toString(), e);
        for (Work w : batch) {
          fail(w, e);
        }
      } finally {
        for (int i = 0; i < batch.size(); i++) {
          tracker.end();
        }
        batch.clear();
      }
    }
    List<Work> left = new ArrayList<>();
    queue.drainTo(left);
    for (Work w : left) {
      fail(w, new IllegalStateException("the engine stopped"));
      tracker.end();
    }
  }

  /**
   * Applies the work in order. Consecutive publications that only correlate to waiting instances
   * (see {@link #correlatesOnly}) share one transaction; any other work commits what came before it
   * first.
   */
  private void process(List<Work> batch) {
    Batch current = new Batch();
    PublishGroup group = null;
    for (Work w : batch) {
      switch (w) {
        case Command c -> {
          if (group != null) {
            commit(current, group);
            group = null;
            current = new Batch();
          }
          current.apply(c);
        }
        case Publish p -> {
          String fenced = fence.fenced();
          if (fenced != null) {
            // Every instance it could reach is its cloud's (a replica has no subscription here),
            // and so would one it started: it can correlate and start nothing, and an answer that
            // says so would lose the message. Nor is it buffered: another cloud may own them now.
            p.done()
                .completeExceptionally(
                    new CommandRejectedException(OwnershipFence.refusal(fenced)));
            continue;
          }
          List<DeployedProcesses.MessageStart> starts;
          try {
            starts = p.instanceId() == null ? processes.messageStarts(p.name()) : List.of();
          } catch (RuntimeException e) {
            starts = null; // publishNow reads them again and reports the failure
          }
          if (starts != null && correlatesOnly(p, starts)) {
            if (group == null || current.waitsFor(p.name())) {
              // Commands before it, or a publication before it that left an instance waiting for
              // this name (whose subscription the store does not show yet), are committed first.
              commit(current, group);
              current = new Batch();
              group = new PublishGroup();
            }
            correlate(current, group, p);
            continue;
          }
          commit(current, group);
          group = null;
          current = new Batch();
          publishNow(p, starts);
        }
      }
    }
    commit(current, group);
  }

  /**
   * Commits a batch. The publications of a group are answered; when its commit fails, they fail and
   * the loop goes on, as a publication committed on its own would. A failed commit of commands is
   * thrown.
   */
  private void commit(Batch batch, PublishGroup group) {
    if (group == null) {
      batch.commit();
      return;
    }
    Map<InstanceCommand, ProcessingResult> results;
    try {
      results = batch.commit();
    } catch (RuntimeException e) {
      group.fail(e);
      return;
    }
    group.finish(results);
  }

  /**
   * Whether a publication does nothing but correlate to subscriptions found by name and correlation
   * key: no target instance, no message start event, not kept for a time to live. Such publications
   * can share a transaction: each one's subscriptions are those of the store less the ones earlier
   * publications of the same transaction consumed ({@link #correlate}).
   */
  private static boolean correlatesOnly(Publish p, List<DeployedProcesses.MessageStart> starts) {
    return p.instanceId() == null
        && starts.isEmpty()
        && (p.timeToLive() == null || p.timeToLive().isZero() || p.timeToLive().isNegative());
  }

  /**
   * Applies a publication's correlations to the batch, as {@link #publishNow} would on its own, and
   * adds it to the group. A subscription of an instance this batch changed counts only while that
   * instance still has it. A failed lookup fails the publication alone.
   */
  private void correlate(Batch batch, PublishGroup group, Publish p) {
    java.util.Collection<SubscriptionRow> rows;
    try {
      rows = firstPerProcess(p, batch);
    } catch (RuntimeException e) {
      p.done().completeExceptionally(e);
      return;
    }
    List<InstanceCommand> commands = new ArrayList<>();
    for (SubscriptionRow row : rows) {
      CorrelateMessage c =
          new CorrelateMessage(
              row.instanceId(), row.subscriptionKey(), p.messageId(), p.name(), p.variables());
      commands.add(c);
      batch.apply(new Command(c, null, 0, new CompletableFuture<>()));
    }
    group.add(p, commands);
  }

  /** Publications that share one transaction, answered once it has committed. */
  private static final class PublishGroup {
    private final List<Publish> publications = new ArrayList<>();
    private final List<List<InstanceCommand>> commands = new ArrayList<>();

    void add(Publish p, List<InstanceCommand> correlations) {
      publications.add(p);
      commands.add(correlations);
    }

    void finish(Map<InstanceCommand, ProcessingResult> results) {
      for (int i = 0; i < publications.size(); i++) {
        List<String> correlated = new ArrayList<>();
        for (InstanceCommand c : commands.get(i)) {
          ProcessingResult r = results.get(c);
          if (r != null && !r.rejected()) {
            correlated.add(c.instanceId());
          }
        }
        Publish p = publications.get(i);
        String fenced = correlated.isEmpty() ? fencedRefusal(commands.get(i), results) : null;
        if (fenced != null) {
          p.done().completeExceptionally(new CommandRejectedException(fenced));
          continue;
        }
        p.done().complete(new PublishResult(p.messageId(), correlated, List.of(), false));
      }
    }

    void fail(Throwable t) {
      publications.forEach(p -> p.done().completeExceptionally(t));
    }
  }

  /**
   * As in Camunda 8: a message goes to at most one waiting instance of each process, the one that
   * subscribed first. Subscriptions of instances in {@code batch} count only while the instance's
   * state there still has them.
   */
  private java.util.Collection<SubscriptionRow> firstPerProcess(Publish p, Batch batch) {
    Map<String, SubscriptionRow> first = new LinkedHashMap<>();
    Map<String, String> processOf = new java.util.HashMap<>();
    for (SubscriptionRow row : store.subscriptions(p.name(), p.correlationKey())) {
      if (batch != null && batch.consumed(row)) {
        continue;
      }
      String processId = processOf.computeIfAbsent(row.instanceId(), this::processIdOf);
      first.merge(processId, row, (a, b) -> earlier(a, b) ? a : b);
    }
    return first.values();
  }

  /** An instance's process id never changes: a cached copy answers as well as the store. */
  private String processIdOf(String instanceId) {
    InstanceState cached = cache.get(instanceId);
    if (cached != null && cached.processId() != null) {
      return cached.processId();
    }
    return store.instance(instanceId).map(si -> si.summary().processId()).orElse(instanceId);
  }

  /** Correlates a message to the open subscriptions, starts message start events, or buffers it. */
  private void publishNow(Publish p, List<DeployedProcesses.MessageStart> knownStarts) {
    try {
      List<DeployedProcesses.MessageStart> starts =
          knownStarts != null ? knownStarts : processes.messageStarts(p.name());
      List<InstanceCommand> commands = new ArrayList<>();
      if (p.instanceId() != null) {
        // The stored state, not the cache: another node may have opened the subscription.
        InstanceState s =
            store
                .instance(p.instanceId())
                .map(si -> InstanceState.fromSnapshot(si.snapshot()))
                .orElse(null);
        if (s != null) {
          s.subscriptions().values().stream()
              .filter(sub -> sub.messageName().equals(p.name()))
              .findFirst()
              .ifPresent(
                  sub ->
                      commands.add(
                          new CorrelateMessage(
                              p.instanceId(),
                              sub.subscriptionKey(),
                              p.messageId(),
                              p.name(),
                              p.variables())));
        }
      } else {
        for (SubscriptionRow row : firstPerProcess(p, null)) {
          commands.add(
              new CorrelateMessage(
                  row.instanceId(), row.subscriptionKey(), p.messageId(), p.name(), p.variables()));
        }
        for (DeployedProcesses.MessageStart start : starts) {
          if (p.correlationKey() != null
              && !store
                  .instances(
                      new InstanceQuery(
                          "ACTIVE", start.processId(), p.correlationKey(), null, null, 1, null))
                  .isEmpty()) {
            continue; // one active instance per correlation key, as in Camunda 8
          }
          commands.add(
              new StartInstance(
                  ids.newId(),
                  start.processId(),
                  start.version(),
                  p.correlationKey(),
                  p.variables(),
                  start.startEventId(),
                  null,
                  0,
                  // An instance a message starts is part of the trace the message was sent in.
                  p.traceparent()));
        }
      }
      Batch batch = new Batch();
      for (InstanceCommand c : commands) {
        batch.apply(new Command(c, null, 0, new CompletableFuture<>(), c instanceof StartInstance));
      }
      Map<InstanceCommand, ProcessingResult> results = batch.commit();
      List<String> correlated = new ArrayList<>();
      List<String> started = new ArrayList<>();
      results.forEach(
          (c, r) -> {
            if (r != null && !r.rejected()) {
              (c instanceof StartInstance ? started : correlated).add(c.instanceId());
            }
          });
      String fenced =
          correlated.isEmpty() && started.isEmpty() ? fencedRefusal(commands, results) : null;
      if (fenced != null) {
        p.done().completeExceptionally(new CommandRejectedException(fenced));
        return;
      }
      // As in Camunda 8, a message with a time-to-live is kept for it, for the processes that
      // have not taken it yet (each process takes it once).
      boolean buffered = false;
      if (p.instanceId() == null
          && p.timeToLive() != null
          && !p.timeToLive().isZero()
          && !p.timeToLive().isNegative()) {
        Instant now = clock.instant();
        java.util.Set<String> takenBy = new java.util.LinkedHashSet<>();
        results.forEach(
            (c, r) -> {
              if (r != null && !r.rejected() && r.state() != null) {
                takenBy.add(r.state().processId());
              }
            });
        store.apply(
            List.of(
                new IndexChange.PutBufferedMessage(
                    new BufferedMessage(
                        p.messageId(),
                        p.name(),
                        p.correlationKey(),
                        p.variables(),
                        now,
                        now.plus(p.timeToLive()),
                        List.copyOf(takenBy)))));
        buffered = true;
      }
      p.done().complete(new PublishResult(p.messageId(), correlated, started, buffered));
    } catch (RuntimeException e) {
      p.done().completeExceptionally(e);
    }
  }

  /**
   * The refusal of a publication none of whose commands took effect while some were refused because
   * the node is fenced (for the instances of a process that names standbys of its own, say), or
   * {@code null}: answered as correlated to none, the message would be lost.
   */
  private static String fencedRefusal(
      List<InstanceCommand> commands, Map<InstanceCommand, ProcessingResult> results) {
    for (InstanceCommand c : commands) {
      ProcessingResult r = results.get(c);
      if (r != null && r.rejected() && r.rejection().startsWith(OwnershipFence.REFUSED)) {
        return r.rejection();
      }
    }
    return null;
  }

  private static boolean earlier(SubscriptionRow a, SubscriptionRow b) {
    int byTime = a.createdAt().compareTo(b.createdAt());
    return byTime != 0 ? byTime < 0 : a.key().compareTo(b.key()) <= 0;
  }

  private InstanceState load(String instanceId) {
    InstanceState cached = cache.get(instanceId);
    if (cached != null) {
      return cached;
    }
    return store
        .instance(instanceId)
        .map(si -> InstanceState.fromSnapshot(si.snapshot()))
        .orElse(null);
  }

  private static void fail(Work w, Throwable t) {
    switch (w) {
      case Command c -> c.done().completeExceptionally(t);
      case Publish p -> p.done().completeExceptionally(t);
    }
  }

  /** The instances changed by the commands of one transaction. */
  private final class Batch implements MessageBuffer {
    private final Map<String, Working> working = new LinkedHashMap<>();
    private final List<IndexChange> loose = new ArrayList<>();

    /** The latest version of each buffered message handed out in this batch. */
    private final Map<String, BufferedMessage> takenMessages = new java.util.HashMap<>();

    private final Map<InstanceCommand, ProcessingResult> results = new LinkedHashMap<>();

    void apply(Command c) {
      String id = c.command().instanceId();
      Working w = working.get(id);
      if (w == null) {
        boolean cached = cache.containsKey(id);
        InstanceState s = c.newId() && c.attempt() == 0 && !cached ? null : load(id);
        w = new Working(s, s == null ? 0 : s.lastSeq(), cached);
        working.put(id, w);
      }
      if (w.poisoned) {
        c.done()
            .completeExceptionally(
                new IllegalStateException("instance " + id + " failed in this batch"));
        return;
      }
      ProcessingResult r;
      try {
        r = processor.process(w.state, c.command(), this);
      } catch (RuntimeException e) {
        LOG.error(
            "event=command_failed instance={} command={} error={}",
            id,
            c.command().getClass().getSimpleName(),
            e.toString(),
            e);
        w.poisoned = true;
        cache.remove(id);
        c.done().completeExceptionally(e);
        for (Command earlier : w.commands) {
          earlier
              .done()
              .completeExceptionally(
                  new IllegalStateException("instance " + id + " failed in this batch", e));
        }
        return;
      }
      results.put(c.command(), r);
      if (r.rejected()) {
        if (w.fromCache && w.commands.isEmpty() && cachedCopyIsStale(id, w.expectedVersion)) {
          // Another node changed the instance since this node cached it (a job or subscription it
          // created is unknown here): decide again on the stored state. A rejection changes
          // nothing, so no commit would have caught the stale copy.
          cache.remove(id);
          working.remove(id);
          List<Command> again = new ArrayList<>(w.rejected);
          again.add(c);
          for (Command earlier : again) {
            apply(earlier);
          }
          return;
        }
        if (c.outboxId() != null) {
          loose.add(new IndexChange.RemoveOutbox(c.outboxId()));
        }
        w.rejected.add(c);
        w.rejectedResults.add(r);
        return;
      }
      if (c.command() instanceof StartInstance start
          && start.version() <= 0
          && w.expectedVersion == 0) {
        w.assumedLatestVersion = r.state().version();
      }
      w.state = r.state();
      if (c.command() instanceof InstanceCommand.AdoptLog) {
        w.replaceFrom = 1;
        w.events.clear();
      }
      w.events.addAll(r.events());
      for (IndexChange change : r.changes()) {
        w.changes.put(rowKey(change), change);
      }
      if (c.outboxId() != null) {
        IndexChange remove = new IndexChange.RemoveOutbox(c.outboxId());
        w.changes.put(rowKey(remove), remove);
      }
      w.commands.add(c);
      w.results.add(r);
    }

    /** Whether an instance of this batch no longer has a subscription the store still lists. */
    boolean consumed(SubscriptionRow row) {
      Working w = working.get(row.instanceId());
      if (w == null) {
        return false;
      }
      return w.state == null || !w.state.subscriptions().containsKey(row.subscriptionKey());
    }

    /** Whether an instance of this batch waits for a message of that name. */
    boolean waitsFor(String messageName) {
      for (Working w : working.values()) {
        if (w.state != null
            && w.state.subscriptions().values().stream()
                .anyMatch(sub -> sub.messageName().equals(messageName))) {
          return true;
        }
      }
      return false;
    }

    private boolean cachedCopyIsStale(String id, long cachedVersion) {
      return store.instance(id).map(si -> si.version() != cachedVersion).orElse(false);
    }

    @Override
    public Optional<BufferedMessage> take(String name, String correlationKey, String processId) {
      for (BufferedMessage stored : store.bufferedMessages(name, correlationKey, clock.instant())) {
        BufferedMessage current = takenMessages.getOrDefault(stored.id(), stored);
        if (!current.takenBy().contains(processId)) {
          BufferedMessage taken = current.takenBy(processId);
          takenMessages.put(taken.id(), taken);
          return Optional.of(taken);
        }
      }
      return Optional.empty();
    }

    /** Commits the batch; answers callers and starts effects. Returns each command's result. */
    Map<InstanceCommand, ProcessingResult> commit() {
      List<InstanceCommit> commits = new ArrayList<>();
      for (Map.Entry<String, Working> e : working.entrySet()) {
        Working w = e.getValue();
        if (w.poisoned || w.events.isEmpty()) {
          continue;
        }
        commits.add(
            new InstanceCommit(
                e.getKey(),
                w.expectedVersion,
                w.state.lastSeq(),
                IndexProjection.summary(w.state),
                w.state.toSnapshot(),
                w.events,
                List.copyOf(w.changes.values()),
                w.assumedLatestVersion,
                w.replaceFrom));
      }
      try {
        if (!commits.isEmpty()) {
          commitTimed(commits);
        }
        if (!loose.isEmpty()) {
          store.apply(loose);
        }
      } catch (StaleInstanceException stale) {
        return retry(stale);
      } catch (RuntimeException failure) {
        for (String id : working.keySet()) {
          cache.remove(id);
        }
        for (Working w : working.values()) {
          w.commands.forEach(c -> c.done().completeExceptionally(failure));
          w.rejected.forEach(c -> c.done().completeExceptionally(failure));
        }
        throw failure;
      }
      for (Map.Entry<String, Working> e : working.entrySet()) {
        Working w = e.getValue();
        if (w.poisoned) {
          continue;
        }
        if (w.state != null) {
          cache.put(e.getKey(), w.state);
        }
        for (int i = 0; i < w.commands.size(); i++) {
          ProcessingResult r = w.results.get(i);
          CompletableFuture<ProcessingResult> done = w.commands.get(i).done();
          effects
              .committed(w.state, r)
              .whenComplete(
                  (ok, failure) -> {
                    if (failure == null) {
                      done.complete(r);
                    } else {
                      done.completeExceptionally(failure);
                    }
                  });
        }
        for (int i = 0; i < w.rejected.size(); i++) {
          w.rejected.get(i).done().complete(w.rejectedResults.get(i));
        }
      }
      return results;
    }

    /** Commits the instances to the store, telling the {@link CommitTimer} how long it took. */
    private void commitTimed(List<InstanceCommit> commits) {
      if (commitTimer == CommitTimer.NONE) {
        store.commit(commits);
        return;
      }
      long begin = System.nanoTime();
      CommitTimer.Outcome outcome = CommitTimer.Outcome.FAILED;
      try {
        store.commit(commits);
        outcome = CommitTimer.Outcome.COMMITTED;
      } catch (StaleInstanceException stale) {
        outcome = CommitTimer.Outcome.STALE;
        throw stale;
      } finally {
        long nanos = System.nanoTime() - begin;
        int events = 0;
        for (InstanceCommit c : commits) {
          events += c.events().size();
        }
        try {
          commitTimer.timed(commits.size(), events, nanos, outcome);
        } catch (RuntimeException e) {
          LOG.warn("event=commit_timer_failed error={}", e.toString());
        }
      }
    }

    /**
     * Another writer changed an instance first: drop cached state and redo every command on fresh
     * state.
     */
    private Map<InstanceCommand, ProcessingResult> retry(StaleInstanceException stale) {
      LOG.debug("event=stale_commit instances={}", stale.instanceIds());
      // A new instance may have been refused for starting on a version that is no longer the
      // latest (deployed through another node): the retry asks the store again.
      processes.forgetLatest();
      for (String id : working.keySet()) {
        cache.remove(id);
      }
      Map<InstanceCommand, ProcessingResult> out = new LinkedHashMap<>();
      for (Working w : working.values()) {
        List<Command> all = new ArrayList<>(w.commands);
        all.addAll(w.rejected);
        for (Command c : all) {
          if (c.attempt() >= MAX_RETRIES) {
            c.done().completeExceptionally(stale);
            continue;
          }
          Batch single = new Batch();
          Command again = new Command(c.command(), c.outboxId(), c.attempt() + 1, c.done());
          single.apply(again);
          out.putAll(single.commit());
        }
      }
      return out;
    }
  }

  private static String rowKey(IndexChange c) {
    return switch (c) {
      case IndexChange.PutJob p -> "job/" + p.job().key();
      case IndexChange.RemoveJob r -> "job/" + r.key();
      case IndexChange.PutTimer p -> "timer/" + p.timer().key();
      case IndexChange.RemoveTimer r -> "timer/" + r.key();
      case IndexChange.PutSubscription p -> "sub/" + p.subscription().key();
      case IndexChange.RemoveSubscription r -> "sub/" + r.key();
      case IndexChange.PutUserTask p -> "task/" + p.task().key();
      case IndexChange.RemoveUserTask r -> "task/" + r.key();
      case IndexChange.PutIncident p -> "incident/" + p.incident().key();
      case IndexChange.RemoveIncident r -> "incident/" + r.key();
      case IndexChange.PutBufferedMessage p -> "message/" + p.message().id();
      case IndexChange.RemoveBufferedMessage r -> "message/" + r.id();
      case IndexChange.PutOutbox p -> "outbox/" + p.row().id();
      case IndexChange.RemoveOutbox r -> "outbox/" + r.id();
    };
  }

  private static final class Working {
    InstanceState state;
    final long expectedVersion;
    boolean poisoned;

    /** For a new instance started on the latest version: that version (else 0). */
    int assumedLatestVersion;

    /** Non-zero when an adopted log replaces the stored one from this event on. */
    long replaceFrom;

    final List<EventRecord> events = new ArrayList<>();
    final Map<String, IndexChange> changes = new TreeMap<>();
    final List<Command> commands = new ArrayList<>();
    final List<ProcessingResult> results = new ArrayList<>();
    final List<Command> rejected = new ArrayList<>();
    final List<ProcessingResult> rejectedResults = new ArrayList<>();

    /** Whether {@code state} came from the cache, which another node may have outdated. */
    final boolean fromCache;

    Working(InstanceState state, long expectedVersion, boolean fromCache) {
      this.state = state;
      this.expectedVersion = expectedVersion;
      this.fromCache = fromCache;
    }
  }
}
