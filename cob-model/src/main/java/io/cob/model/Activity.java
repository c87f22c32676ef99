package io.cob.model;

/**
 * A node that does work and may carry boundary events, input/output mappings and multi-instance
 * characteristics.
 */
public sealed interface Activity extends FlowNode
    permits Task, ServiceTask, ReceiveTask, UserTask, SubProcess, CallActivity {

  IoMapping io();

  /** Multi-instance characteristics, or {@code null} for a single instance. */
  MultiInstance loop();
}
