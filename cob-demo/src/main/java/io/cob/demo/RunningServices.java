package io.cob.demo;

import io.cob.demo.services.IdempotencyLedger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services a scenario started, and what the nodes and the instance need to reach them: the
 * secrets the nodes are configured with (tokens and passwords made for this run), the node
 * connector settings ({@code connectors.amqp.url}), the instance's start variables (service URLs
 * among them: the BPMN holds none), and the idempotency ledgers the summary reports.
 *
 * <p>{@link #close} stops the services in the reverse order of their start.
 */
public final class RunningServices implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningServices.class);

  final Map<String, String> secrets = new LinkedHashMap<>();
  final Map<String, Map<String, Object>> connectorSettings = new LinkedHashMap<>();
  final Map<String, Object> variables = new LinkedHashMap<>();
  final List<String> endpoints = new ArrayList<>();
  final Map<String, IdempotencyLedger> ledgers = new LinkedHashMap<>();
  private final List<AutoCloseable> started = new ArrayList<>();

  /** Remembers a started service so that {@link #close} stops it. */
  <T extends AutoCloseable> T started(T service) {
    started.add(service);
    return service;
  }

  /** One line per endpoint, e.g. {@code billing system REST http://127.0.0.1:40111}. */
  public List<String> endpoints() {
    return List.copyOf(endpoints);
  }

  /** The ledgers by what they count, e.g. {@code payment provider charges}. */
  public Map<String, IdempotencyLedger> ledgers() {
    return Map.copyOf(ledgers);
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        LOG.warn("event=demo_service_close_failed error={}", e.toString());
      }
    }
  }
}
