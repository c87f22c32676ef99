package io.cob.model.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.model.BpmnValidationException;
import io.cob.model.expr.StandardExpressionEvaluator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzes the BPMN parser with random bytes, mutated real models and random element trees of BPMN's
 * own vocabulary. Whatever the input, the parser returns a document or throws its documented {@link
 * BpmnValidationException} with at least one problem, within five seconds; nothing else escapes.
 *
 * <p>How many inputs each property tries is the subclass's {@code @PropertyDefaults}: a few
 * thousand in the unit tests ({@link BpmnParserFuzzProperties}), 100,000 in all in the integration
 * test ({@link BpmnParserFuzzIT}).
 */
abstract class BpmnParserFuzzing {
  private static final BpmnParser PARSER = new BpmnParser(new StandardExpressionEvaluator());
  private static final ExecutorService RUNNER = Executors.newVirtualThreadPerTaskExecutor();
  private static final List<byte[]> MODELS = models();

  @AfterContainer
  static void stopRunner() {
    RUNNER.shutdownNow();
  }

  @Property
  void randomBytesAreRefusedCleanly(@ForAll("randomBytes") byte[] input) throws Exception {
    parseWithin(input);
  }

  @Property
  void mutatedModelsAreParsedOrRefusedCleanly(@ForAll("mutatedModels") byte[] input)
      throws Exception {
    parseWithin(input);
  }

  @Property
  void randomElementTreesAreParsedOrRefusedCleanly(@ForAll("elementTrees") String input)
      throws Exception {
    parseWithin(input.getBytes(StandardCharsets.UTF_8));
  }

  /** Parses on another thread so that a hang fails the property instead of the build. */
  private static void parseWithin(byte[] input) throws Exception {
    Future<?> run =
        RUNNER.submit(
            () -> {
              try {
                PARSER.parse("fuzz.bpmn", input);
              } catch (BpmnValidationException e) {
                assertThat(e.problems()).isNotEmpty();
              }
              return null;
            });
    try {
      run.get(5, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      run.cancel(true);
      throw new AssertionError(
          "the parser took over 5 s on: " + new String(input, StandardCharsets.UTF_8), e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError(
          "the parser threw " + e.getCause() + " on: " + new String(input, StandardCharsets.UTF_8),
          e.getCause());
    }
  }

  @Provide
  Arbitrary<byte[]> randomBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
  }

  // --- mutated models ---

  private static List<byte[]> models() {
    List<byte[]> out = new ArrayList<>();
    for (String name :
        List.of("camunda7-invoice.bpmn", "camunda8-order.bpmn", "multi-cloud-with-di.bpmn")) {
      try (InputStream in = BpmnParserFuzzing.class.getResourceAsStream("/bpmn/" + name)) {
        out.add(in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    out.add(
        TestBpmn.process(
                """
                <bpmn:startEvent id="s"/>
                <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="g"/>
                <bpmn:exclusiveGateway id="g" default="f3"/>
                <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="t">
                  <bpmn:conditionExpression>=amount &gt; 100</bpmn:conditionExpression>
                </bpmn:sequenceFlow>
                <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="e"/>
                <bpmn:serviceTask id="t"><bpmn:extensionElements>
                  <zeebe:taskDefinition type="work" retries="3"/>
                  <zeebe:ioMapping><zeebe:input source="=items[1]" target="x"/></zeebe:ioMapping>
                </bpmn:extensionElements></bpmn:serviceTask>
                <bpmn:boundaryEvent id="b" attachedToRef="t">
                  <bpmn:timerEventDefinition><bpmn:timeDuration>PT5M</bpmn:timeDuration>
                  </bpmn:timerEventDefinition></bpmn:boundaryEvent>
                <bpmn:sequenceFlow id="f4" sourceRef="t" targetRef="e"/>
                <bpmn:sequenceFlow id="f5" sourceRef="b" targetRef="e"/>
                <bpmn:endEvent id="e"/>\
                """)
            .getBytes(StandardCharsets.UTF_8));
    return List.copyOf(out);
  }

  /** Pieces that hit the XML reader where it is delicate. */
  private static final List<String> SPLICES =
      List.of(
          "<",
          ">",
          "&",
          "&amp;",
          "&#0;",
          "&#x10FFFF;",
          "\"",
          "'",
          "<!DOCTYPE x [<!ENTITY e \"e\">]>",
          "<!ENTITY e SYSTEM \"file:///etc/passwd\">",
          "&e;",
          "<![CDATA[",
          "]]>",
          "<?xml version=\"1.0\" encoding=\"UTF-16\"?>",
          "<?pi x?>",
          "<!--",
          "-->",
          "xmlns:bpmn=\"urn:other\"",
          "xmlns=\"\"",
          "=",
          "=[",
          "${",
          "}",
          "\u0000",
          "\uFEFF",
          "\uD800",
          "id=\"s\"",
          "sourceRef=\"nowhere\"",
          "<bpmn:subProcess id=\"sp\">",
          "</bpmn:process>",
          "<bpmn:extensionElements>");

  @Provide
  Arbitrary<byte[]> mutatedModels() {
    Arbitrary<byte[]> model = Arbitraries.of(MODELS);
    Arbitrary<List<Mutation>> mutations = mutation().list().ofMinSize(1).ofMaxSize(6);
    return Combinators.combine(model, mutations)
        .as(
            (m, ms) -> {
              byte[] out = m;
              for (Mutation x : ms) {
                out = x.apply(out);
              }
              return out;
            });
  }

  /** One edit of a document, at positions given as fractions of its length. */
  private record Mutation(int kind, double at, double to, String splice, byte value) {
    byte[] apply(byte[] in) {
      if (in.length == 0) {
        return splice.getBytes(StandardCharsets.UTF_8);
      }
      int a = (int) (at * in.length);
      int b = Math.min(in.length, a + (int) (to * 200));
      byte[] piece = splice.getBytes(StandardCharsets.UTF_8);
      return switch (kind) {
        case 0 -> concat(slice(in, 0, a), slice(in, b, in.length)); // delete
        case 1 -> concat(slice(in, 0, a), piece, slice(in, a, in.length)); // insert
        case 2 -> concat(slice(in, 0, a), piece, slice(in, b, in.length)); // replace
        case 3 -> concat(slice(in, 0, b), slice(in, a, b), slice(in, b, in.length)); // duplicate
        case 4 -> slice(in, 0, a); // truncate
        default -> {
          byte[] copy = in.clone();
          copy[Math.min(a, copy.length - 1)] = value; // flip a byte
          yield copy;
        }
      };
    }

    private static byte[] slice(byte[] b, int from, int to) {
      return java.util.Arrays.copyOfRange(b, from, Math.max(from, to));
    }

    private static byte[] concat(byte[]... parts) {
      int n = 0;
      for (byte[] p : parts) {
        n += p.length;
      }
      byte[] out = new byte[n];
      int i = 0;
      for (byte[] p : parts) {
        System.arraycopy(p, 0, out, i, p.length);
        i += p.length;
      }
      return out;
    }
  }

  private static Arbitrary<Mutation> mutation() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 5),
            Arbitraries.doubles().between(0, 1),
            Arbitraries.doubles().between(0, 1),
            Arbitraries.oneOf(
                Arbitraries.of(SPLICES),
                Arbitraries.strings().ofMaxLength(8).withCharRange('\u0000', '\u00ff')),
            Arbitraries.bytes())
        .as(Mutation::new);
  }

  // --- random element trees ---

  private static final List<String> TAGS =
      List.of(
          "bpmn:process",
          "bpmn:startEvent",
          "bpmn:endEvent",
          "bpmn:task",
          "bpmn:serviceTask",
          "bpmn:userTask",
          "bpmn:receiveTask",
          "bpmn:sendTask",
          "bpmn:scriptTask",
          "bpmn:callActivity",
          "bpmn:subProcess",
          "bpmn:exclusiveGateway",
          "bpmn:parallelGateway",
          "bpmn:inclusiveGateway",
          "bpmn:eventBasedGateway",
          "bpmn:sequenceFlow",
          "bpmn:boundaryEvent",
          "bpmn:intermediateCatchEvent",
          "bpmn:intermediateThrowEvent",
          "bpmn:timerEventDefinition",
          "bpmn:messageEventDefinition",
          "bpmn:errorEventDefinition",
          "bpmn:signalEventDefinition",
          "bpmn:conditionExpression",
          "bpmn:timeDuration",
          "bpmn:timeCycle",
          "bpmn:timeDate",
          "bpmn:message",
          "bpmn:error",
          "bpmn:lane",
          "bpmn:laneSet",
          "bpmn:flowNodeRef",
          "bpmn:collaboration",
          "bpmn:participant",
          "bpmn:messageFlow",
          "bpmn:multiInstanceLoopCharacteristics",
          "bpmn:loopCardinality",
          "bpmn:completionCondition",
          "bpmn:extensionElements",
          "zeebe:taskDefinition",
          "zeebe:ioMapping",
          "zeebe:input",
          "zeebe:output",
          "zeebe:taskHeaders",
          "zeebe:header",
          "zeebe:subscription",
          "zeebe:calledElement",
          "zeebe:loopCharacteristics",
          "cob:placement",
          "bpmn:complexGateway",
          "other:thing");

  private static final List<String> ATTRIBUTES =
      List.of(
          "id",
          "name",
          "sourceRef",
          "targetRef",
          "attachedToRef",
          "default",
          "isExecutable",
          "messageRef",
          "errorRef",
          "processRef",
          "calledElement",
          "type",
          "retries",
          "source",
          "target",
          "key",
          "value",
          "correlationKey",
          "processId",
          "cancelActivity",
          "isSequential",
          "inputCollection",
          "inputElement",
          "outputCollection",
          "cob:cloud",
          "cob:placement",
          "camunda:assignee",
          "xsi:type");

  private static final List<String> VALUES =
      List.of(
          "s",
          "e",
          "t",
          "g",
          "f1",
          "f2",
          "p",
          "m1",
          "true",
          "false",
          "3",
          "-1",
          "PT5M",
          "R3/PT1S",
          "2030-01-01T00:00:00Z",
          "=x",
          "=amount > 100",
          "=[1,2",
          "${a}",
          "${",
          "=for x in 1..3 return x",
          "bpmn:tFormalExpression",
          "");

  @Provide
  Arbitrary<String> elementTrees() {
    return element(3)
        .list()
        .ofMaxSize(6)
        .map(
            children ->
                "<bpmn:definitions "
                    + TestBpmn.NAMESPACES
                    + " xmlns:other=\"urn:other\" id=\"d\"><bpmn:process id=\"p\""
                    + " isExecutable=\"true\">"
                    + String.join("", children)
                    + "</bpmn:process></bpmn:definitions>");
  }

  private static Arbitrary<String> element(int depth) {
    Arbitrary<String> attributes =
        Combinators.combine(
                Arbitraries.of(ATTRIBUTES),
                Arbitraries.oneOf(
                    Arbitraries.of(VALUES), Arbitraries.strings().alpha().numeric().ofMaxLength(6)))
            .as(
                (k, v) ->
                    " "
                        + k
                        + "=\""
                        + v.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;")
                        + "\"")
            .list()
            .ofMaxSize(4)
            .map(l -> String.join("", l));
    Arbitrary<String> content =
        depth == 0
            ? Arbitraries.of(VALUES).map(v -> v.replace("&", "&amp;").replace("<", "&lt;"))
            : Arbitraries.lazy(() -> element(depth - 1))
                .list()
                .ofMaxSize(3)
                .map(l -> String.join("", l));
    return Combinators.combine(Arbitraries.of(TAGS), attributes, content)
        .as((tag, attrs, inner) -> "<" + tag + attrs + ">" + inner + "</" + tag + ">");
  }
}
