package io.cob.server.support;

import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.Envelope;
import io.cob.engine.port.bus.EnvelopeHandler;
import io.cob.engine.port.bus.Subscription;
import java.util.List;
import java.util.Optional;

/**
 * A bus passing everything to another one (a real one), for tests that change one call of it: a
 * publish that waits, a question that fails.
 */
public class DelegatingBus implements Bus {
  private final Bus delegate;

  public DelegatingBus(Bus delegate) {
    this.delegate = delegate;
  }

  @Override
  public void publish(Envelope envelope) {
    delegate.publish(envelope);
  }

  @Override
  public void declareCloud(String cloud) {
    delegate.declareCloud(cloud);
  }

  @Override
  public Subscription subscribe(String cloud, EnvelopeHandler handler) {
    return delegate.subscribe(cloud, handler);
  }

  @Override
  public void announce(Envelope envelope) {
    delegate.announce(envelope);
  }

  @Override
  public Subscription listen(String cloud, EnvelopeHandler handler) {
    return delegate.listen(cloud, handler);
  }

  @Override
  public List<Envelope> deadLetters(String cloud, int max) {
    return delegate.deadLetters(cloud, max);
  }

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
}
