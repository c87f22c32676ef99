package io.cob.model.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.model.Expression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expressions come from models, which anyone allowed to deploy writes: none of them reaches Java
 * reflection, the file system or the network, and a refused one fails with an {@link
 * ExpressionException} and has no effect. Each attack here leaves a trace when it works (a file
 * gone, a system property set, a variable changed, or the JVM gone), which the test looks for.
 */
class ExpressionsReachNoJavaTest {
  private static final String PROPERTY = "cob.expression.injected";

  private final StandardExpressionEvaluator evaluator = new StandardExpressionEvaluator();

  @TempDir Path dir;

  @AfterEach
  void clearProperty() {
    System.clearProperty(PROPERTY);
  }

  private Object eval(String text, Map<String, Object> variables) {
    return evaluator.evaluate(Expression.of(text), variables);
  }

  private Path victim() throws IOException {
    return Files.writeString(dir.resolve("victim.txt"), "still here");
  }

  @Test
  void shouldRefuseFeelExternalJavaFunctionsWhenParsed() {
    String setProperty =
        "=(function(k, v) external { java: { class: \"java.lang.System\", method signature:"
            + " \"setProperty(java.lang.String, java.lang.String)\" } })";
    String exitInContext =
        "={exit: function(code) external { java: { class: \"java.lang.System\", method signature:"
            + " \"exit(int)\" } }, done: exit(3)}.done";

    for (String text : List.of(setProperty, exitInContext)) {
      assertThat(evaluator.check(Expression.of(text)))
          .hasValueSatisfying(m -> assertThat(m).contains("External functions are disabled"));
      assertThatThrownBy(() -> eval(text, Map.of()))
          .isInstanceOf(ExpressionException.class)
          .hasMessageContaining("External functions are disabled");
    }
    assertThat(System.getProperty(PROPERTY)).isNull();
  }

  @Test
  void shouldRefuseJavaObjectsAmongFeelVariablesInsteadOfCallingTheirMethods() throws IOException {
    Path victim = victim();
    Map<String, Object> vars = Map.of("f", victim.toFile(), "n", 1);

    for (String text : List.of("=f.delete()", "=f.absolutePath", "=f", "=[n, f]")) {
      assertThatThrownBy(() -> eval(text, vars))
          .as(text)
          .isInstanceOf(ExpressionException.class)
          .hasMessageContaining(
              "a value of type java.io.File cannot be used in a FEEL expression; only plain data"
                  + " can");
    }
    assertThat(victim).hasContent("still here");
    // A variable the expression does not touch is no obstacle.
    assertThat(eval("=n + 1", vars)).isEqualTo(2L);
  }

  @Test
  void shouldRefuseJuelReflectionThroughGetClass() throws IOException {
    Path victim = victim();
    String delete =
        "${''.getClass().forName('java.io.File').getConstructor(''.getClass()).newInstance('"
            + victim
            + "').delete()}";
    String setProperty =
        "${''.getClass().forName('java.lang.System').getMethod('setProperty', ''.getClass(),"
            + " ''.getClass()).invoke(null, '"
            + PROPERTY
            + "', 'yes')}";

    for (String text : List.of(delete, setProperty)) {
      assertThatThrownBy(() -> eval(text, Map.of()))
          .isInstanceOf(ExpressionException.class)
          .hasMessageContaining(
              "method 'getClass' of a value of type java.lang.String cannot be called in an"
                  + " expression; expressions may only read strings, numbers, booleans, lists and"
                  + " maps");
    }
    assertThat(victim).hasContent("still here");
    assertThat(System.getProperty(PROPERTY)).isNull();
  }

  @Test
  void shouldNotResolveJavaLangClassesByName() {
    assertThatThrownBy(() -> eval("${System.exit(3)}", Map.of()))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("unknown variable 'System' in ${System.exit(3)}");
    assertThatThrownBy(
            () -> eval("${Runtime.getRuntime().exec('true')}", Map.of("items", List.of())))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("unknown variable 'Runtime' in ${Runtime.getRuntime().exec('true')}");
  }

  @Test
  void shouldRefuseClassPropertiesAndMethodsInsideLambdas() {
    Map<String, Object> vars = Map.of("items", List.of("a", "b"), "name", "ann");

    assertThatThrownBy(() -> eval("${name.class}", vars))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining(
            "property 'class' of a value of type java.lang.String cannot be read in an expression");
    assertThatThrownBy(() -> eval("${items.stream().map(x -> x.getClass()).toList()}", vars))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("method 'getClass' of a value of type java.lang.String");
  }

  @Test
  void shouldRefuseJuelMethodsThatChangeAVariableBehindTheEventLog() {
    Map<String, Object> order = new LinkedHashMap<>(Map.of("amount", 10L));
    List<Object> items = new java.util.ArrayList<>(List.of("a"));
    Map<String, Object> vars = Map.of("order", order, "items", items);

    assertThatThrownBy(() -> eval("${order.put('paid', true)}", vars))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("method 'put' of a value of type java.util.LinkedHashMap");
    assertThatThrownBy(() -> eval("${items.clear()}", vars))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("method 'clear' of a value of type java.util.ArrayList");
    assertThat(order).containsExactly(Map.entry("amount", 10L));
    assertThat(items).containsExactly("a");
  }

  @Test
  void shouldStillReadStringsNumbersListsAndMaps() {
    Map<String, Object> vars =
        Map.of(
            "items",
            List.of("a", "b"),
            "name",
            " Ann ",
            "order",
            Map.of("amount", 150L),
            "n",
            new java.math.BigDecimal("2.50"));

    assertThat(eval("${items.stream().map(x -> x.toUpperCase()).toList()}", vars))
        .isEqualTo(List.of("A", "B"));
    assertThat(eval("${name.trim().toLowerCase().startsWith('an')}", vars)).isEqualTo(true);
    assertThat(eval("${order.containsKey('amount') and order.size() == 1}", vars)).isEqualTo(true);
    assertThat(eval("${order.entrySet().stream().map(e -> e.key).toList()}", vars))
        .isEqualTo(List.of("amount"));
    assertThat(eval("${n.stripTrailingZeros().toPlainString()}", vars)).isEqualTo("2.5");
  }
}
