/**
 * Store implementations that live in the engine module: {@link io.cob.engine.store.InMemoryStore}
 * for tests and throw-away runs, and helpers every {@link io.cob.engine.port.Store} adapter shares
 * so that all of them version deployments the same way ({@link
 * io.cob.engine.store.DeploymentPlan}).
 */
package io.cob.engine.store;
