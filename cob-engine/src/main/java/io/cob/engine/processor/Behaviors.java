package io.cob.engine.processor;

/**
 * The element behaviours for one command, wired to one another. Built per command: behaviours hold
 * no state of their own beyond the shared {@link ProcessingContext}.
 */
final class Behaviors {
  final ProcessingContext ctx;
  final FlowControl flow;
  final VariableBehavior variables;
  final EventBehavior events;
  final TaskBehavior tasks;
  final GatewayBehavior gateways;
  final ContainerBehavior containers;
  final MultiInstanceBehavior multiInstance;
  final ErrorBehavior errors;
  final PlacementBehavior placement;

  Behaviors(ProcessingContext ctx) {
    this.ctx = ctx;
    this.flow = new FlowControl(this);
    this.variables = new VariableBehavior(ctx);
    this.events = new EventBehavior(this);
    this.tasks = new TaskBehavior(this);
    this.gateways = new GatewayBehavior(this);
    this.containers = new ContainerBehavior(this);
    this.multiInstance = new MultiInstanceBehavior(this);
    this.errors = new ErrorBehavior(this);
    this.placement = new PlacementBehavior(this);
  }
}
