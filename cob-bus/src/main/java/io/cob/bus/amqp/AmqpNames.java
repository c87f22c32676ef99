package io.cob.bus.amqp;

/**
 * The names of what an {@link AmqpBus} declares, all prefixed by the namespace: the direct exchange
 * {@code cob.bus} (routing key = cloud name), the fanout exchanges {@code cob.broadcast} (bound to
 * every cloud queue) and {@code cob.announce} (bound to every listener's private queue), the direct
 * exchange {@code cob.dlx} for dead letters, and per cloud the queue {@code cob.cloud.<name>} and
 * its dead-letter queue {@code cob.cloud.<name>.dlq}.
 */
record AmqpNames(String namespace) {

  String busExchange() {
    return namespace + "cob.bus";
  }

  String broadcastExchange() {
    return namespace + "cob.broadcast";
  }

  String announceExchange() {
    return namespace + "cob.announce";
  }

  String deadLetterExchange() {
    return namespace + "cob.dlx";
  }

  String cloudQueue(String cloud) {
    return namespace + "cob.cloud." + cloud;
  }

  String deadLetterQueue(String cloud) {
    return cloudQueue(cloud) + ".dlq";
  }
}
