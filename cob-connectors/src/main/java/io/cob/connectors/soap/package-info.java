/**
 * The {@code soap} connector: SOAP 1.1 and 1.2 over HTTP, with WS-Security UsernameToken, XSLT on
 * request and answer, and SOAP Faults as BPMN errors. See {@link
 * io.cob.connectors.soap.SoapConnector}.
 */
package io.cob.connectors.soap;
