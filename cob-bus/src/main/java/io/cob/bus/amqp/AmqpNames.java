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

  /** The auto-delete queue whose existence marks that a node of {@code cloud} is connected. */
  String presenceQueue(String cloud) {
    return namespace + "cob.presence." + cloud;
  }

  /** The durable last-value queue holding the take-over notice of {@code cloud}. */
  String takeoverQueue(String cloud) {
    return namespace + "cob.takeover." + cloud;
  }

  String cloudQueue(String cloud) {
    return namespace + "cob.cloud." + cloud;
  }

  String deadLetterQueue(String cloud) {
    return cloudQueue(cloud) + ".dlq";
  }
}
