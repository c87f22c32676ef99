package io.cob.server.xcloud;

import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.Envelope;
import io.cob.engine.port.bus.EnvelopeHandler.Delivery;
import io.cob.engine.port.bus.Subscription;
import io.cob.server.xcloud.JobEnvelopes.MalformedPayloadException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's consumers of its own cloud's queue: {@code consumers} subscriptions (so that as many
 * envelopes are handled at once), each passing an envelope by type to the runner of dispatched jobs
 * or to the applier of results.
 *
 * <p><b>Acknowledgement</b> (see {@link io.cob.engine.port.bus.EnvelopeHandler}): an envelope is
 * acknowledged when its handler returns: for {@value JobEnvelopes#DISPATCH} once the message is in
 * the inbox and the job started ({@link RemoteJobRunner}), for {@value JobEnvelopes#RESULT} once
 * the message is in the inbox and the outcome handed to the thread that applies it ({@link
 * RemoteResults}). A failure that may pass (the store is down) throws, and the bus delivers the
 * envelope again. What can never be handled is logged and acknowledged, so that it is not delivered
 * again in vain: an unknown type ({@code event=envelope_type_unknown}) and a payload that is not
 * what its type says ({@code event=envelope_malformed}).
 */
final class CloudInbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CloudInbox.class);

  private final List<Subscription> subscriptions;

  private CloudInbox(List<Subscription> subscriptions) {
    this.subscriptions = subscriptions;
  }

  /** Subscribes {@code consumers} times to {@code cloud}'s queue. */
  static CloudInbox start(
      Bus bus,
      String cloud,
      int consumers,
      RemoteJobRunner runner,
      RemoteResults results,
      Map<String, Consumer<Envelope>> others) {
    List<Subscription> subs = new ArrayList<>();
    try {
      for (int i = 0; i < consumers; i++) {
        subs.add(bus.subscribe(cloud, (e, d) -> handle(e, d, runner, results, others)));
      }
    } catch (RuntimeException e) {
      subs.forEach(Subscription::close);
      throw e;
    }
    return new CloudInbox(List.copyOf(subs));
  }

  private static void handle(
      Envelope envelope,
      Delivery delivery,
      RemoteJobRunner runner,
      RemoteResults results,
      Map<String, Consumer<Envelope>> others)
      throws InterruptedException {
    try {
      Consumer<Envelope> other = others.get(envelope.type());
      switch (envelope.type()) {
        case JobEnvelopes.DISPATCH -> runner.accept(envelope);
        case JobEnvelopes.RESULT -> results.apply(envelope);
        case String type when other != null -> other.accept(envelope);
        default ->
            LOG.warn(
                "event=envelope_type_unknown type={} from={} message={} instance={} (acknowledged,"
                    + " not handled)",
                envelope.type(),
                envelope.sourceCloud(),
                envelope.messageId(),
                envelope.instanceId());
      }
    } catch (MalformedPayloadException | IllegalArgumentException e) {
      LOG.warn(
          "event=envelope_malformed type={} from={} message={} deliveries={} error=\"{}\""
              + " (acknowledged, not handled)",
          envelope.type(),
          envelope.sourceCloud(),
          envelope.messageId(),
          delivery.count(),
          e.getMessage());
    }
  }

  /** Stops consuming; envelopes not acknowledged go back to the queue. */
  @Override
  public void close() {
    subscriptions.forEach(Subscription::close);
  }
}
