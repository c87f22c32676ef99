package io.cob.bus;

import io.cob.engine.port.bus.Envelope;
import io.cob.engine.port.bus.EnvelopeHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what it receives; thread-safe. */
public class RecordingHandler implements EnvelopeHandler {
  /** One delivery as received. */
  public record Received(Envelope envelope, Delivery delivery) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Set<String> ids = ConcurrentHashMap.newKeySet();

  @Override
  public void handle(Envelope envelope, Delivery delivery) throws Exception {
    received.add(new Received(envelope, delivery));
    ids.add(envelope.messageId());
  }

  public List<Received> received() {
    return new ArrayList<>(received);
  }

  public List<Envelope> envelopes() {
    return received.stream().map(Received::envelope).toList();
  }

  public int count() {
    return received.size();
  }

  public Set<String> distinctIds() {
    return Set.copyOf(ids);
  }

  public boolean got(String messageId) {
    return ids.contains(messageId);
  }
}
