package io.cob.server.xcloud;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs of other clouds that this node's connectors sent a request for and whose answer comes
 * later ({@link io.cob.engine.port.JobResult.Await}): by job key, where the answer must go.
 *
 * <p><b>In memory only.</b> A node that restarts forgets them; an answer that arrives after that
 * finds no entry (and is then tried on the local engine, which does not know the job and refuses
 * it). The owner's dispatch lease covers this: it lapses, the job is sent again with the same
 * idempotency key, and the service answers the repeated request. An entry is kept until the answer
 * comes or {@code keepUntil} passed (the await timeout plus the dispatch lease), so that forgotten
 * requests do not pile up.
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

  void remember(RemoteJob job, Instant keepUntil) {
    byJobKey.put(job.job().key(), new Entry(job, keepUntil));
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
