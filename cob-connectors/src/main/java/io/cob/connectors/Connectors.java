package io.cob.connectors;

import io.cob.connectors.amqp.AmqpConnector;
import io.cob.connectors.mqtt.MqttConnector;
import io.cob.connectors.pdf.PdfReportConnector;
import io.cob.connectors.smtp.SmtpConnector;
import io.cob.connectors.soap.SoapConnector;
import io.cob.engine.port.JobHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connectors of one node, by job type; closes them all together. */
public final class Connectors implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Connectors.class);
  private final ConnectorContext context;
  private final Map<String, Connector> byType = new LinkedHashMap<>();

  private Connectors(ConnectorContext context, List<Connector> connectors) {
    this.context = context;
    for (Connector c : connectors) {
      if (byType.putIfAbsent(c.type(), c) != null) {
        throw new IllegalArgumentException("two connectors for job type " + c.type());
      }
    }
  }

  /** Every connector cob ships with. */
  public static Connectors standard(ConnectorContext context) {
    List<Connector> all = new ArrayList<>();
    all.add(new AmqpConnector(context));
    all.add(new MqttConnector(context));
    all.add(new PdfReportConnector(context));
    all.add(new SoapConnector(context));
    all.add(new SmtpConnector(context));
    return new Connectors(context, all);
  }

  /** Just these connectors (for tests and embedders). */
  public static Connectors of(ConnectorContext context, List<Connector> connectors) {
    return new Connectors(context, connectors);
  }

  public ConnectorContext context() {
    return context;
  }

  public Map<String, Connector> byType() {
    return Map.copyOf(byType);
  }

  /** The engine's job handlers for these connectors, by job type. */
  public Map<String, JobHandler> handlers() {
    Map<String, JobHandler> handlers = new LinkedHashMap<>();
    byType.forEach((type, c) -> handlers.put(type, new ConnectorJobHandler(c, context)));
    return handlers;
  }

  @Override
  public void close() {
    for (Connector c : byType.values()) {
      try {
        c.close();
      } catch (RuntimeException e) {
        LOG.warn("event=connector_close_failed type={} error={}", c.type(), e.toString());
      }
    }
  }
}
