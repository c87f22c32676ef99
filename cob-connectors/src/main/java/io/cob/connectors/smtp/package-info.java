/**
 * The {@code smtp} connector: mail through an SMTP server with Jakarta Mail (Angus Mail),
 * attachments streamed from the blob store ({@link io.cob.connectors.smtp.SmtpConnector}).
 */
package io.cob.connectors.smtp;
