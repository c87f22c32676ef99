package io.cob.bus;

import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.Envelope;
import io.cob.engine.port.bus.EnvelopeHandler;
import io.cob.engine.port.bus.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Bus} that signs everything it sends and lets through only what it can verify: the
 * decorator every node puts around its transport.
 *
 * <p><b>Sending.</b> {@link #publish} and {@link #announce} sign the envelope with {@link
 * EnvelopeSigner} and pass it on; without a key for the pair they throw {@code BusException}.
 *
 * <p><b>Receiving.</b> Before a handler sees an envelope, it must: carry a signature; be addressed
 * to the receiving cloud (or broadcast); come from a cloud that shares a key with the receiving
 * one; have a valid signature for it (compared in constant time); have been sent no longer than
 * {@code maxAge} ago and no later than {@code clockSkew} from now; and not repeat a message id
 * handled recently ({@link ReplayGuard}, when {@code replayGuardSize > 0}). An envelope that fails
 * is <em>refused</em>: the handler is not called, the envelope is acknowledged (redelivering it
 * would not change the verdict), {@code event=envelope_refused reason=...} is logged and {@link
 * BusCounters} counts it by {@link RefusalReason}. An envelope let through is counted as received
 * by source cloud and type, and as redelivered too when the bus says it came before.
 *
 * <p><b>Counting sends.</b> Every envelope published or announced is counted by target cloud and
 * type, with its payload's bytes, as sent when the transport took it, as failed when it threw.
 *
 * <p><b>Choosing {@code maxAge}.</b> A published envelope may wait in a queue while its cloud is
 * down; when it finally arrives older than {@code maxAge} it is refused. So {@code maxAge} must be
 * longer than the longest outage to ride out (default 24 hours); the replay window it opens is
 * closed durably by the inbox, which de-duplicates by message id.
 *
 * <p>Thread-safe, like the bus it wraps.
 */
public final class SignedBus implements Bus {
  private static final Logger LOG = LoggerFactory.getLogger(SignedBus.class);

  private final Bus delegate;
  private final EnvelopeSigner signer;
  private final Settings settings;
  private final Clock clock;
  private final BusCounters counters;

  public SignedBus(
      Bus delegate, EnvelopeSigner signer, Settings settings, Clock clock, BusCounters counters) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.signer = Objects.requireNonNull(signer, "signer");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.counters = Objects.requireNonNull(counters, "counters");
  }

  /**
   * How strictly received envelopes are checked.
   *
   * @param maxAge the oldest envelope accepted ({@code bus.signing.maxAge}, default 24 h)
   * @param clockSkew how far in the future an envelope's {@code sentAt} may be ({@code
   *     bus.signing.clockSkew}, default 1 min)
   * @param replayGuardSize how many recently handled message ids each subscription remembers to
   *     refuse exact replays ({@code bus.signing.replayGuardSize}, default 100,000; 0 turns it off)
   */
  public record Settings(Duration maxAge, Duration clockSkew, int replayGuardSize) {
    public static final Settings DEFAULTS =
        new Settings(Duration.ofHours(24), Duration.ofMinutes(1), 100_000);

    public Settings {
      if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("bus.signing.maxAge must be positive, not " + maxAge);
      }
      if (clockSkew == null || clockSkew.isNegative()) {
        throw new IllegalArgumentException(
            "bus.signing.clockSkew must not be negative, not " + clockSkew);
      }
      if (replayGuardSize < 0) {
        throw new IllegalArgumentException(
            "bus.signing.replayGuardSize must not be negative, not " + replayGuardSize);
      }
    }
  }

  /** The counters of accepted and refused envelopes. */
  public BusCounters counters() {
    return counters;
  }

  @Override
  public void publish(Envelope envelope) {
    send(envelope, delegate::publish);
  }

  @Override
  public void announce(Envelope envelope) {
    send(envelope, delegate::announce);
  }

  /** Signs and sends, counting the envelope as sent or, when the transport refused it, failed. */
  private void send(Envelope envelope, java.util.function.Consumer<Envelope> transport) {
    Envelope signed = signer.sign(envelope);
    try {
      transport.accept(signed);
    } catch (RuntimeException e) {
      counters.count(
          BusCounters.Direction.SEND_FAILED,
          signed.targetCloud(),
          signed.type(),
          signed.payloadSize());
      throw e;
    }
    counters.count(
        BusCounters.Direction.SENT, signed.targetCloud(), signed.type(), signed.payloadSize());
  }

  @Override
  public void declareCloud(String cloud) {
    delegate.declareCloud(cloud);
  }

  @Override
  public Subscription subscribe(String cloud, EnvelopeHandler handler) {
    return delegate.subscribe(cloud, verifying(cloud, handler));
  }

  @Override
  public Subscription listen(String cloud, EnvelopeHandler handler) {
    return delegate.listen(cloud, verifying(cloud, handler));
  }

  @Override
  public List<Envelope> deadLetters(String cloud, int max) {
    return delegate.deadLetters(cloud, max);
  }

  // Presence marks and take-over notices are the broker's own arbitration: passed through as they
  // are (the broker's access control guards them, not envelope keys).

  @Override
  public Subscription holdPresence(String cloud) {
    return delegate.holdPresence(cloud);
  }

  @Override
  public boolean presence(String cloud) {
    return delegate.presence(cloud);
  }

  @Override
  public void postTakeoverNotice(String cloud, byte[] notice) {
    delegate.postTakeoverNotice(cloud, notice);
  }

  @Override
  public Optional<byte[]> takeoverNotice(String cloud) {
    return delegate.takeoverNotice(cloud);
  }

  @Override
  public void clearTakeoverNotice(String cloud) {
    delegate.clearTakeoverNotice(cloud);
  }

  @Override
  public void close() {
    delegate.close();
  }

  /**
   * The handler behind the checks. Each subscription has its own replay guard: one envelope may
   * rightly reach several handlers (an announcement reaches every listener).
   */
  private EnvelopeHandler verifying(String cloud, EnvelopeHandler handler) {
    Objects.requireNonNull(handler, "handler");
    ReplayGuard replayGuard = new ReplayGuard(settings.replayGuardSize());
    return (envelope, delivery) -> {
      Optional<EnvelopeSigner.Refusal> refusal = check(envelope, cloud);
      if (refusal.isPresent()) {
        refuse(envelope, cloud, refusal.get());
        return;
      }
      if (!replayGuard.begin(envelope.messageId())) {
        refuse(
            envelope,
            cloud,
            new EnvelopeSigner.Refusal(RefusalReason.REPLAY, "message id handled recently"));
        return;
      }
      counters.accepted();
      // The source is verified by now: counting by it cannot be flooded with invented clouds.
      counters.count(
          BusCounters.Direction.RECEIVED,
          envelope.sourceCloud(),
          envelope.type(),
          envelope.payloadSize());
      if (delivery.redelivered() || delivery.count() > 1) {
        counters.count(
            BusCounters.Direction.REDELIVERED,
            envelope.sourceCloud(),
            envelope.type(),
            envelope.payloadSize());
      }
      boolean handled = false;
      try {
        handler.handle(envelope, delivery);
        handled = true;
      } finally {
        replayGuard.end(envelope.messageId(), handled);
      }
    };
  }

  private Optional<EnvelopeSigner.Refusal> check(Envelope envelope, String cloud) {
    Optional<EnvelopeSigner.Refusal> signature = signer.verify(envelope, cloud);
    if (signature.isPresent()) {
      return signature;
    }
    // Time checks come after the signature: sentAt is only trustworthy once it is verified.
    Instant now = clock.instant();
    Instant sentAt = envelope.sentAt();
    if (sentAt.isBefore(now.minus(settings.maxAge()))) {
      return Optional.of(
          new EnvelopeSigner.Refusal(
              RefusalReason.STALE, "sent " + Duration.between(sentAt, now) + " ago"));
    }
    if (sentAt.isAfter(now.plus(settings.clockSkew()))) {
      return Optional.of(
          new EnvelopeSigner.Refusal(
              RefusalReason.FUTURE, "sent " + Duration.between(now, sentAt) + " in the future"));
    }
    return Optional.empty();
  }

  private void refuse(Envelope envelope, String cloud, EnvelopeSigner.Refusal refusal) {
    counters.refused(refusal.reason());
    LOG.warn(
        "event=envelope_refused reason={} message={} type={} source={} target={} cloud={}"
            + " instance={} detail=\"{}\"",
        refusal.reason().label(),
        envelope.messageId(),
        envelope.type(),
        envelope.sourceCloud(),
        envelope.isBroadcast() ? "*" : envelope.targetCloud(),
        cloud,
        envelope.instanceId(),
        refusal.detail());
  }
}
