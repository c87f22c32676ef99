package io.cob.model.parse;

import io.cob.model.BpmnDocument;
import io.cob.model.BpmnValidationException;
import io.cob.model.Problem;
import io.cob.model.expr.ExpressionEvaluator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Parses and validates BPMN 2.0 documents into the immutable process model.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Either a document is fully valid and {@link #parse} returns it, or {@link #parse} throws a
 *       {@link BpmnValidationException} carrying <em>every</em> problem found, in document order;
 *       {@link #validate} returns the same problems without throwing. No partial model is ever
 *       returned.
 *   <li>Each problem names the file, the line and column of the offending element's start tag, its
 *       id and tag ({@link Problem#toString()} is the CLI format).
 *   <li>Input is untrusted: documents over the size limit are rejected before they are read, DTDs
 *       and entities are rejected and never resolved, and nothing outside the given bytes is read.
 *   <li>Elements are matched by namespace URI; Camunda 8 (zeebe), Camunda 7 (and Flowable/Activiti)
 *       and cob ({@code urn:cob:bpmn:1}) extensions are understood, other vendors' extensions are
 *       ignored, and any BPMN element cob cannot run is reported rather than skipped.
 *   <li>Every expression is syntax-checked with the given {@link ExpressionEvaluator}.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe; every call works on its own state.
 */
public final class BpmnParser {
  /** The default size limit: 10 MiB. */
  public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;

  private final ExpressionEvaluator evaluator;
  private final long maxBytes;

  public BpmnParser(ExpressionEvaluator evaluator) {
    this(evaluator, DEFAULT_MAX_BYTES);
  }

  /**
   * @param maxBytes the largest document accepted, in bytes
   */
  public BpmnParser(ExpressionEvaluator evaluator, long maxBytes) {
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /**
   * Parses a document.
   *
   * @param fileName the name used in problem locations and kept in the document
   * @throws BpmnValidationException with every problem, when the document is not valid
   */
  public BpmnDocument parse(String fileName, byte[] content) {
    Outcome outcome = run(fileName, content);
    if (!outcome.problems().isEmpty()) {
      throw new BpmnValidationException(outcome.problems());
    }
    return outcome.document();
  }

  /** All problems of a document, in document order; empty when it is valid. */
  public List<Problem> validate(String fileName, byte[] content) {
    return run(fileName, content).problems();
  }

  private record Outcome(BpmnDocument document, List<Problem> problems) {}

  private Outcome run(String fileName, byte[] content) {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(content, "content");
    List<Problem> problems = new ArrayList<>();
    Optional<XmlReader.XmlDocument> xml = new XmlReader(fileName, problems).read(content, maxBytes);
    if (xml.isEmpty()) {
      return new Outcome(null, List.copyOf(problems));
    }
    ParseContext ctx = new ParseContext(evaluator, problems);
    CobExtensions cob = new CobExtensions(ctx);
    JobReader jobs = new JobReader(ctx);
    IoMappingReader io = new IoMappingReader(ctx);
    ProcessReader processes =
        new ProcessReader(
            ctx,
            cob,
            new EventBuilder(ctx, jobs, io, new TimerReader(ctx)),
            new ActivityBuilder(ctx, jobs, io, new LoopReader(ctx, cob)),
            new GatewayBuilder(ctx));
    DefinitionsReader.Contents contents =
        new DefinitionsReader(ctx, cob, processes).read(xml.get().root());
    // Readers find problems in passes (ids, then nodes, then flows, then structure); users read
    // them top to bottom. The sort is stable, so problems of one element keep their order.
    problems.sort(
        Comparator.comparingInt((Problem p) -> p.location().line())
            .thenComparingInt(p -> p.location().column()));
    if (!problems.isEmpty()) {
      return new Outcome(null, List.copyOf(problems));
    }
    return new Outcome(
        new BpmnDocument(
            fileName, xml.get().text(), contents.processes(), contents.collaborations()),
        List.of());
  }
}
