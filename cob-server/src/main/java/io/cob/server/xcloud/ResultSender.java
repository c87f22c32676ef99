package io.cob.server.xcloud;

import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.BusException;
import io.cob.engine.port.bus.Envelope;
import io.cob.server.xcloud.JobEnvelopes.Result;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outcomes of jobs run for other clouds back to their owners ({@value
 * JobEnvelopes#RESULT}), each on a virtual thread that publishes until the bus confirms: while the
 * broker is unreachable it tries again with the same envelope (so the same message id) after 0.5,
 * 1, 2 ... up to 30 s. What is still unsent when the node stops is dropped (logged {@code
 * event=job_result_unsent}): the owner's dispatch lease then lapses and it sends the job again with
 * the same idempotency key, so the outcome is late, not lost.
 *
 * <p>Thread-safe.
 */
final class ResultSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResultSender.class);
  private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

  private final Bus bus;
  private final Clock clock;
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  private volatile boolean closed;

  /**
   * @param clock real time: envelopes are dated by it and checked against it by the receiver
   */
  ResultSender(Bus bus, Clock clock) {
    this.bus = bus;
    this.clock = clock;
  }

  /** Sends on the calling thread; returns once the bus confirmed or the node stops. */
  void send(Result result, RemoteJob job) {
    Envelope envelope = JobEnvelopes.result(result, job, clock.instant());
    Duration pause = FIRST_PAUSE;
    for (int attempt = 1; ; attempt++) {
      try {
        bus.publish(envelope);
        LOG.info(
            "event=job_result_sent instance={} element={} job={} outcome={} to={} message={}",
            result.instanceId(),
            result.elementId(),
            result.jobKey(),
            result.kind(),
            job.sourceCloud(),
            envelope.messageId());
        return;
      } catch (BusException e) {
        if (closed || !pause(pause)) {
          LOG.warn(
              "event=job_result_unsent instance={} job={} to={} attempts={} error=\"{}\" (the owner"
                  + " sends the job again when its dispatch lease lapses)",
              result.instanceId(),
              result.jobKey(),
              job.sourceCloud(),
              attempt,
              e.getMessage());
          return;
        }
        LOG.info(
            "event=job_result_retry job={} to={} attempt={} error=\"{}\"",
            result.jobKey(),
            job.sourceCloud(),
            attempt,
            e.getMessage());
        pause =
            pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0
                ? LONGEST_PAUSE
                : pause.multipliedBy(2);
      }
    }
  }

  /** Sends on a thread of its own (for answers that arrive on a thread that must not wait). */
  void sendLater(Result result, RemoteJob job) {
    senders.execute(() -> send(result, job));
  }

  private boolean pause(Duration pause) {
    try {
      // A sending thread of its own: waiting here blocks nobody else.
      Thread.sleep(pause);
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stops retrying; results still unsent are dropped (see the class comment). */
  @Override
  public void close() {
    closed = true;
    senders.shutdownNow();
    try {
      senders.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
