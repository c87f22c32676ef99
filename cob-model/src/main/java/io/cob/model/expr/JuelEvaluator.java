package io.cob.model.expr;

import jakarta.el.ArrayELResolver;
import jakarta.el.CompositeELResolver;
import jakarta.el.ELContext;
import jakarta.el.ELException;
import jakarta.el.ELResolver;
import jakarta.el.ExpressionFactory;
import jakarta.el.FunctionMapper;
import jakarta.el.ImportHandler;
import jakarta.el.ListELResolver;
import jakarta.el.MapELResolver;
import jakarta.el.PropertyNotFoundException;
import jakarta.el.PropertyNotWritableException;
import jakarta.el.ValueExpression;
import jakarta.el.VariableMapper;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import org.glassfish.expressly.ExpressionFactoryImpl;

/**
 * JUEL ({@code ${...}} / {@code #{...}}) expressions of Camunda 7 and Flowable models, through the
 * Jakarta Expression Language implementation Expressly.
 *
 * <p>Top-level identifiers resolve from the variables; property access on the values works for
 * maps, lists and arrays ({@code ${order.customer.name}}). As in Camunda 7, an identifier that is
 * not a variable is an error, whereas a missing map key is null. Expressions are read-only:
 * assignments fail.
 *
 * <p>Expressions come from models, which are input: they reach no Java class and no method beyond
 * the reading methods of variable values that {@link ReadOnlyValueResolver} allows. EL's class
 * imports (by default all of {@code java.lang}, so that {@code ${System.exit(0)}} names a class)
 * are switched off, and there are no EL functions.
 *
 * <p>Thread-safe: the factory, the resolver chain and parsed {@link ValueExpression}s are shared;
 * each evaluation gets its own {@link ELContext}, which is mutable.
 */
final class JuelEvaluator {

  private final ExpressionFactory factory = new ExpressionFactoryImpl();
  private final ELResolver resolver = buildResolver(factory);
  private final ParseCache<Parsed<ValueExpression>> cache;

  JuelEvaluator(int cacheSize) {
    this.cache = new ParseCache<>(cacheSize);
  }

  private static ELResolver buildResolver(ExpressionFactory factory) {
    CompositeELResolver composite = new CompositeELResolver();
    // Order matters only for base == null, which the variables resolver alone handles.
    composite.add(new VariablesResolver());
    composite.add(new MapELResolver(true));
    composite.add(new ListELResolver(true));
    composite.add(new ArrayELResolver(true));
    composite.add(factory.getStreamELResolver());
    // Not EL's BeanELResolver: it calls any public method of any object, reflection included.
    composite.add(new ReadOnlyValueResolver());
    return composite;
  }

  Optional<String> check(String text) {
    return Optional.ofNullable(parse(text).error());
  }

  Object evaluate(String text, Map<String, Object> variables) {
    Parsed<ValueExpression> parsed = parse(text);
    if (parsed.isMalformed()) {
      throw new ExpressionException(parsed.error());
    }
    Object value;
    try {
      value = parsed.compiled().getValue(new Context(resolver, variables));
    } catch (RuntimeException e) {
      UnknownVariableException unknown = findUnknownVariable(e);
      if (unknown != null) {
        throw new ExpressionException("unknown variable '" + unknown.variable + "' in " + text, e);
      }
      throw new ExpressionException(describe(text) + " failed: " + e.getMessage(), e);
    }
    try {
      return ValueNormalizer.normalize(value);
    } catch (IllegalArgumentException e) {
      throw new ExpressionException(
          describe(text) + " returned a value that cannot be used: " + e.getMessage(), e);
    }
  }

  private Parsed<ValueExpression> parse(String text) {
    return cache.get(text, this::compile);
  }

  private Parsed<ValueExpression> compile(String text) {
    try {
      return Parsed.ok(
          factory.createValueExpression(new Context(resolver, Map.of()), text, Object.class));
    } catch (ELException e) {
      return Parsed.malformed(describe(text) + " is malformed: " + e.getMessage());
    }
  }

  /** Expressly may wrap resolver exceptions in ELExceptions, so the cause chain is searched. */
  private static UnknownVariableException findUnknownVariable(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof UnknownVariableException unknown) {
        return unknown;
      }
    }
    return null;
  }

  private static String describe(String text) {
    return "JUEL expression '" + text + "'";
  }

  /** One evaluation's context; the variables travel in it for the {@link VariablesResolver}. */
  private static final class Context extends ELContext {
    private final ELResolver resolver;

    Context(ELResolver resolver, Map<String, Object> variables) {
      this.resolver = resolver;
      // Resolvers receive a wrapping context from Expressly, not this object, so the variables
      // are passed through the context map, which the wrapper delegates to.
      putContext(VariablesResolver.class, variables);
    }

    @Override
    public ELResolver getELResolver() {
      return resolver;
    }

    @Override
    public FunctionMapper getFunctionMapper() {
      return NO_FUNCTIONS;
    }

    @Override
    public VariableMapper getVariableMapper() {
      return NO_EL_VARIABLES;
    }

    @Override
    public ImportHandler getImportHandler() {
      return NO_IMPORTS;
    }
  }

  /**
   * Resolves no class: EL would otherwise turn an identifier such as {@code System} or {@code
   * Runtime} into a reference to that class of {@code java.lang} (which the base constructor still
   * imports; models cannot add imports, and nothing is ever resolved from them).
   */
  private static final ImportHandler NO_IMPORTS =
      new ImportHandler() {
        @Override
        public Class<?> resolveClass(String name) {
          return null;
        }

        @Override
        public Class<?> resolveStatic(String name) {
          return null;
        }
      };

  private static final FunctionMapper NO_FUNCTIONS =
      new FunctionMapper() {
        @Override
        public Method resolveFunction(String prefix, String localName) {
          return null;
        }
      };

  /** EL's own variable mapper is for parse-time aliases, which models do not have. */
  private static final VariableMapper NO_EL_VARIABLES =
      new VariableMapper() {
        @Override
        public ValueExpression resolveVariable(String variable) {
          return null;
        }

        @Override
        public ValueExpression setVariable(String variable, ValueExpression expression) {
          throw new UnsupportedOperationException("expressions cannot define EL variables");
        }
      };

  /** Resolves top-level identifiers (base == null) from the evaluation's variables. */
  private static final class VariablesResolver extends ELResolver {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> variables(ELContext context) {
      Object variables = context.getContext(VariablesResolver.class);
      return variables == null ? Map.of() : (Map<String, Object>) variables;
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
      if (base != null) {
        return null;
      }
      String name = String.valueOf(property);
      Map<String, Object> variables = variables(context);
      // containsKey, so that a variable holding null is null rather than unknown.
      if (!variables.containsKey(name)) {
        throw new UnknownVariableException(name);
      }
      context.setPropertyResolved(null, property);
      return variables.get(name);
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
      if (base != null) {
        return null;
      }
      context.setPropertyResolved(null, property);
      // null: the variables are read-only, so no type can be set.
      return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
      if (base == null) {
        throw new PropertyNotWritableException(
            "variable '" + property + "' cannot be assigned in an expression");
      }
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
      if (base != null) {
        return false;
      }
      context.setPropertyResolved(null, property);
      return true;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
      return base == null ? String.class : null;
    }
  }

  /** Thrown by the variables resolver and recognised in the cause chain after evaluation. */
  private static final class UnknownVariableException extends PropertyNotFoundException {
    private static final long serialVersionUID = 1L;
    private final String variable;

    UnknownVariableException(String variable) {
      super("unknown variable '" + variable + "'");
      this.variable = variable;
    }
  }
}
