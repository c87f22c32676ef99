/**
 * The {@code http} connector: REST calls with JSON, XML, form, text or blob bodies, TLS with custom
 * trust and client certificates, basic, bearer and OAuth2 client-credentials authentication,
 * retries honouring {@code Retry-After}, 4xx as BPMN errors, binary responses into the blob store;
 * and asynchronous calls that wait for the service's callback ({@link
 * io.cob.connectors.http.CallbackTokens}).
 */
package io.cob.connectors.http;
