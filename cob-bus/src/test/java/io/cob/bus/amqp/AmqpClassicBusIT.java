package io.cob.bus.amqp;

import io.cob.bus.BusContract;
import io.cob.engine.port.bus.Bus;
import org.junit.jupiter.api.BeforeAll;

/**
 * The bus contract on RabbitMQ with classic durable queues (for brokers without quorum queues),
 * where this bus counts deliveries itself.
 */
class AmqpClassicBusIT extends BusContract {
  private static final AmqpSettings SETTINGS =
      AmqpSettings.DEFAULTS
          .withNamespace(RabbitMq.uniqueNamespace())
          .withQueueType(AmqpSettings.QueueType.CLASSIC);

  @BeforeAll
  static void broker() {
    RabbitMq.requireAvailable();
  }

  @Override
  protected Bus newBus() {
    return AmqpBus.connect(RabbitMq.address(), SETTINGS);
  }

  @Override
  protected int maxDeliveries() {
    return SETTINGS.maxDeliveries();
  }

  @Override
  protected void cleanUp(Bus bus) {
    ((AmqpBus) bus).deleteDeclared();
  }
}
