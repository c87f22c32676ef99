/**
 * XML for connectors: safe parsing ({@link io.cob.connectors.xml.SafeXmlParser}), XML to JSON and
 * back ({@link io.cob.connectors.xml.XmlJson}), templates with escaped placeholders ({@link
 * io.cob.connectors.xml.XmlTemplate}), XPath to variables ({@link
 * io.cob.connectors.xml.XPathMapping}) and cached XSLT ({@link
 * io.cob.connectors.xml.XsltTransformer}).
 */
package io.cob.connectors.xml;
