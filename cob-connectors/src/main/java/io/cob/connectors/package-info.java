/**
 * Connectors: job types a node runs itself (http, soap, amqp, mqtt, smtp, pdf), configured per task
 * by headers and input variables ({@link io.cob.connectors.JobConfig}), with secrets referenced by
 * name ({@link io.cob.connectors.Secrets}) and binary content passed by reference ({@link
 * io.cob.engine.port.BlobRef}).
 */
package io.cob.connectors;
