/**
 * A cob node: {@link io.cob.server.CobNode} wires the store, the engine and the REST API.
 *
 * <ul>
 *   <li>{@code config}: {@code cob.yaml} and {@code COB_…} environment variables;
 *   <li>{@code http}: Jetty 12 (core) with a small router; every request on a virtual thread;
 *       strict JSON binding;
 *   <li>{@code api}: one handler class per resource of the API contract, and the JSON views;
 *   <li>{@code problem}: RFC 9457 problem documents and the exception-to-status mapping;
 *   <li>{@code metrics}: Micrometer with the Prometheus registry;
 *   <li>{@code clock}: the dev clock of {@code --dev-clock}.
 * </ul>
 *
 * <p>The OpenAPI document is the resource {@code io/cob/server/openapi.json}; {@code
 * OpenApiConformanceTest} keeps it and the routes in step.
 */
package io.cob.server;
