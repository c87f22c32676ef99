package io.cob.server.xcloud;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs of other clouds whose answer may come to this node by another path than the handler's
 * return (a callback, a reply queue, a device topic: {@link io.cob.engine.port.JobResult.Await}),
 * by job key, with where the answer must go.
 *
 * <p>A job is {@linkplain #running registered} before its handler runs, not only once it returned
 * {@code Await}: a fast service may answer the callback while the handler is still returning. The
 * first answer {@linkplain #take takes} the entry; the runner then {@linkplain #awaiting keeps} it
 * for the await timeout, or {@linkplain #finished drops} it when the handler's own return was the
 * outcome.
 *
 * <p><b>In memory only.</b> A node that restarts forgets them; an answer that arrives after that
 * finds no entry (and is then tried on the local engine, which does not know the job and refuses
 * it). The owner's dispatch lease covers this: it lapses, the job is sent again with the same
 * idempotency key, and the service answers the repeated request. An entry is kept until the answer
 * comes or its time passed (the await timeout plus the dispatch lease), so that forgotten requests
 * do not pile up.
 *
 * <p>Thread-safe.
 */
final class AwaitedRemoteJobs {
  private record Entry(RemoteJob job, Instant keepUntil) {}

  private final Map<String, Entry> byJobKey = new ConcurrentHashMap<>();
  private final Clock clock;

  AwaitedRemoteJobs(Clock clock) {
    this.clock = clock;
  }

  /** The job's handler is about to run; an answer from now on goes to the job's owner. */
  void running(RemoteJob job, Instant keepUntil) {
    byJobKey.put(job.job().key(), new Entry(job, keepUntil));
  }

  /**
   * The handler returned {@code Await}: keeps the entry until {@code keepUntil}, unless the answer
   * came already (then there is nothing left to wait for).
   *
   * @return whether the job still waits for its answer
   */
  boolean awaiting(String jobKey, Instant keepUntil) {
    return byJobKey.computeIfPresent(jobKey, (k, e) -> new Entry(e.job(), keepUntil)) != null;
  }

  /** The handler's return was the outcome: later answers are not routed anywhere. */
  void finished(String jobKey) {
    byJobKey.remove(jobKey);
  }

  /** The job of that key, removed: the first answer takes it, later ones find nothing. */
  Optional<RemoteJob> take(String jobKey) {
    Entry e = byJobKey.remove(jobKey);
    return e == null ? Optional.empty() : Optional.of(e.job());
  }

  /** Whether an answer for that key would go to another cloud. */
  boolean awaits(String jobKey) {
    return byJobKey.containsKey(jobKey);
  }

  /** Forgets entries kept past their time; how many. */
  int expire() {
    Instant now = clock.instant();
    int before = byJobKey.size();
    byJobKey.values().removeIf(e -> e.keepUntil().isBefore(now));
    return before - byJobKey.size();
  }

  int size() {
    return byJobKey.size();
  }
}
