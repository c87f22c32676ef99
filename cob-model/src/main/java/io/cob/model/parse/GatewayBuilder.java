package io.cob.model.parse;

import io.cob.model.ElementHeader;
import io.cob.model.EventBasedGateway;
import io.cob.model.ExclusiveGateway;
import io.cob.model.Gateway;
import io.cob.model.InclusiveGateway;
import io.cob.model.ParallelGateway;

/**
 * Builds exclusive, inclusive, parallel and event-based gateways. Whether a {@code default} flow
 * leaves its gateway, and where an event-based gateway's flows lead, needs the whole process and is
 * checked by {@link StructureValidator}.
 */
final class GatewayBuilder {
  private final ParseContext ctx;

  GatewayBuilder(ParseContext ctx) {
    this.ctx = ctx;
  }

  Gateway build(XmlElement el, ElementHeader header) {
    BpmnVocabulary.rejectUnknownChildren(ctx, el, el, BpmnVocabulary.NODE_IGNORED);
    String dflt =
        ParseContext.isBlank(el.attr("default")) ? null : ParseContext.ref(el.attr("default"));
    return switch (el.localName()) {
      case "exclusiveGateway" -> new ExclusiveGateway(header, dflt);
      case "inclusiveGateway" -> new InclusiveGateway(header, dflt);
      case "parallelGateway" -> new ParallelGateway(header);
      case "eventBasedGateway" -> new EventBasedGateway(header);
      default -> throw new IllegalArgumentException("not a gateway: " + el);
    };
  }
}
