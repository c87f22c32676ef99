package io.cob.engine.store;

import io.cob.engine.command.InstanceCommand;
import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.port.IndexChange;
import io.cob.engine.port.InstanceCommit;
import io.cob.engine.port.StoreRows.BufferedMessage;
import io.cob.engine.port.StoreRows.DeploymentResource;
import io.cob.engine.port.StoreRows.IncidentRow;
import io.cob.engine.port.StoreRows.InstanceSummary;
import io.cob.engine.port.StoreRows.JobRow;
import io.cob.engine.port.StoreRows.NewDeployment;
import io.cob.engine.port.StoreRows.OutboxRow;
import io.cob.engine.port.StoreRows.ProcessHeader;
import io.cob.engine.port.StoreRows.SubscriptionRow;
import io.cob.engine.port.StoreRows.TimerRow;
import io.cob.engine.port.StoreRows.UserTaskRow;
import io.cob.engine.state.ElementInstance;
import io.cob.engine.state.ElementInstance.MultiInstanceProgress;
import io.cob.engine.state.IncidentInfo;
import io.cob.engine.state.InstanceSnapshot;
import io.cob.engine.state.JobInfo;
import io.cob.engine.state.SubscriptionInfo;
import io.cob.engine.state.TimerInfo;
import io.cob.engine.state.UserTaskInfo;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * Sample rows, commits and values for {@link StoreContract}; public so that adapter modules can
 * build their own extra tests from the same material.
 *
 * <p>Every instant has microsecond precision: that is what every store must keep (PostgreSQL keeps
 * no more).
 */
public final class StoreSamples {
  /** A fixed point in time with microseconds, so that precision loss would show. */
  public static final Instant T0 = Instant.parse("2030-01-01T10:00:00.123456Z");

  private StoreSamples() {}

  /** {@link #T0} plus some seconds. */
  public static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  // ---- values

  /**
   * Variables with every JSON value kind, nested: numbers must come back with their types ({@code
   * Long}, {@code BigDecimal} with its scale), strings with any characters, nulls kept.
   */
  public static Map<String, Object> nestedVariables() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("count", 3L);
    inner.put("price", new BigDecimal("19.90"));
    inner.put("tags", List.of("a", "b"));
    inner.put("missing", null);
    inner.put("deeper", Map.of("flag", false, "list", List.of(List.of(1L, 2L), List.of())));

    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("long", 9_007_199_254_740_993L); // 2^53 + 1: a double would lose it
    variables.put("negative", -42L);
    variables.put("decimal", new BigDecimal("12345678901234567890.000000000123"));
    variables.put("small", new BigDecimal("0.1"));
    variables.put("string", "h\u00e9llo \"quoted\" \\ back\nline \u2713 \ud83d\ude00");
    variables.put("empty", "");
    variables.put("yes", true);
    variables.put("no", false);
    variables.put("nothing", null);
    variables.put("list", Arrays.asList(1L, "two", null, new BigDecimal("3.50"), true));
    variables.put("object", inner);
    variables.put("emptyObject", Map.of());
    variables.put("emptyList", List.of());
    return variables;
  }

  // ---- deployments

  /** A small BPMN document defining one process; {@code marker} changes the XML. */
  public static String bpmn(String processId, String marker) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d-%1$s">
          <process id="%1$s" name="%2$s" isExecutable="true">
            <startEvent id="start"/>
          </process>
        </definitions>
        """
        .formatted(processId, marker);
  }

  public static DeploymentResource resource(String name, String xml, String... processIds) {
    return new DeploymentResource(
        name,
        xml,
        Arrays.stream(processIds).map(id -> new ProcessHeader(id, "Process " + id)).toList());
  }

  public static NewDeployment deployment(
      String deploymentId, Instant at, DeploymentResource... resources) {
    return new NewDeployment(deploymentId, at, List.of(resources));
  }

  // ---- instances

  public static InstanceSummary summary(String id) {
    return summary(id, "order", "ACTIVE", "bk-" + id, "cloud-a", null, 0);
  }

  public static InstanceSummary summary(
      String id,
      String processId,
      String state,
      String businessKey,
      String ownerCloud,
      String parentInstanceId,
      int incidentCount) {
    return new InstanceSummary(
        id,
        processId,
        1,
        processId + ":1",
        businessKey,
        state,
        ownerCloud,
        1,
        parentInstanceId,
        T0,
        "ACTIVE".equals(state) ? null : at(60),
        incidentCount);
  }

  /** A snapshot with nothing active, as after {@code lastSeq} events. */
  public static InstanceSnapshot snapshot(String id, long lastSeq) {
    return new InstanceSnapshot(
        id,
        "order",
        1,
        "bk-" + id,
        "ACTIVE",
        null,
        0,
        "cloud-a",
        1,
        T0,
        null,
        lastSeq,
        2,
        Map.of(),
        Map.of(1L, Map.of("step", lastSeq)),
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        null);
  }

  /** A snapshot that uses every field and every nested record of the snapshot. */
  public static InstanceSnapshot fullSnapshot(String id) {
    Map<Long, ElementInstance> elements = new LinkedHashMap<>();
    elements.put(1L, new ElementInstance(1, "order", "process", 0, null, null, null, null));
    elements.put(
        4L,
        new ElementInstance(
            4,
            "review",
            "userTask",
            1,
            null,
            new MultiInstanceProgress(3, 2, 1, 0, java.util.Arrays.asList("a", 2L, null)),
            null,
            "cloud-b"));
    elements.put(5L, new ElementInstance(5, "review", "userTask", 4, 1, null, null, null));
    elements.put(
        6L, new ElementInstance(6, "call", "callActivity", 1, null, null, "child-1", null));
    Map<Long, Map<String, Object>> variables = new LinkedHashMap<>();
    variables.put(1L, nestedVariables());
    variables.put(5L, Map.of("local", "x"));
    return new InstanceSnapshot(
        id,
        "order",
        3,
        "bk-" + id,
        "ACTIVE",
        "parent-1",
        7,
        "cloud-a",
        2,
        T0,
        at(99),
        17,
        30,
        elements,
        variables,
        Map.of("1/join", List.of("f1", "f2")),
        Map.of(
            8L, new JobInfo(8, 5, "review", "mail", 2, 1, at(5), "boom", Map.of("h", "v"), null)),
        Map.of(9L, new TimerInfo(9, 4, "timeout", at(3600), -1, "PT1H")),
        Map.of(10L, new SubscriptionInfo(10, 4, "msg", "paid", "k-1", at(1))),
        Map.of(
            11L,
            new UserTaskInfo(
                11,
                5,
                "review",
                "Review",
                "ann",
                List.of("g1", "g2"),
                List.of(),
                "form:x",
                null,
                at(2))),
        Map.of(
            12L, new IncidentInfo(12, 5, "review", 8L, "JOB_NO_RETRIES", "no retries", at(4)),
            13L, new IncidentInfo(13, 6, "call", null, "CALLED_ELEMENT", "missing", at(4))),
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  }

  /** The commit that creates an instance at version 1 with one event. */
  public static InstanceCommit newInstance(String id, IndexChange... changes) {
    return newInstance(id, summary(id), changes);
  }

  public static InstanceCommit newInstance(
      String id, InstanceSummary summary, IndexChange... changes) {
    EventRecord created =
        new EventRecord(
            1,
            T0,
            new InstanceEvent.InstanceCreated(
                id,
                summary.processId(),
                1,
                summary.businessKey(),
                null,
                0,
                "cloud-a",
                Map.of("start", 1L)));
    return new InstanceCommit(
        id, 0, 1, summary, snapshot(id, 1), List.of(created), List.of(changes));
  }

  /** A commit that moves an instance from {@code from} to {@code to} with one event per step. */
  public static InstanceCommit update(String id, long from, long to, IndexChange... changes) {
    List<EventRecord> events =
        LongStream.rangeClosed(from + 1, to)
            .mapToObj(
                seq ->
                    new EventRecord(
                        seq, at(seq), new InstanceEvent.VariablesSet(1, Map.of("step", seq))))
            .toList();
    return new InstanceCommit(
        id, from, to, summary(id), snapshot(id, to), events, List.of(changes));
  }

  // ---- index rows

  public static JobRow job(String instanceId, long n, String type, Instant dueAt) {
    return new JobRow(
        instanceId + ":" + n,
        instanceId,
        n,
        "task-" + n,
        type,
        3,
        dueAt,
        null,
        null,
        Map.of("retryBackoff", "PT10S"),
        null);
  }

  public static TimerRow timer(String instanceId, long n, Instant dueAt) {
    return new TimerRow(instanceId + ":" + n, instanceId, n, "timer-" + n, dueAt);
  }

  public static SubscriptionRow subscription(
      String instanceId, long n, String messageName, String correlationKey) {
    return new SubscriptionRow(
        instanceId + ":" + n, instanceId, n, "catch-" + n, messageName, correlationKey, at(n));
  }

  public static UserTaskRow userTask(
      String instanceId, long n, String processId, String assignee, List<String> groups) {
    return new UserTaskRow(
        instanceId + ":" + n,
        instanceId,
        n,
        n + 100,
        processId,
        "task-" + n,
        "Task " + n,
        assignee,
        groups,
        List.of("user-" + n),
        "form-" + n,
        at(3600),
        at(n));
  }

  public static IncidentRow incident(String instanceId, long n) {
    return new IncidentRow(
        instanceId + ":" + n,
        instanceId,
        n,
        n + 100,
        "task-" + n,
        instanceId + ":" + (n + 100),
        "JOB_NO_RETRIES",
        "failed " + n,
        at(n));
  }

  public static BufferedMessage message(
      String id, String name, String correlationKey, Instant publishedAt, Instant expiresAt) {
    return new BufferedMessage(
        id,
        name,
        correlationKey,
        nestedVariables(),
        publishedAt,
        expiresAt,
        List.of("billing", "shipping"));
  }

  public static OutboxRow outboxRow(String id, Instant createdAt, InstanceCommand command) {
    return new OutboxRow(id, createdAt, command.instanceId(), command);
  }

  // ---- one of every record, by reflection

  /**
   * One instance of every permitted subclass of a sealed interface of records, with sample values
   * for every component; with {@code nulls}, every component that can hold {@code null} is {@code
   * null}. New event or command types are covered without touching the tests; a component of a type
   * this method does not know fails loudly.
   */
  public static <T> List<T> everyRecordOf(Class<T> sealedInterface, boolean nulls) {
    List<T> samples = new ArrayList<>();
    for (Class<?> type : sealedInterface.getPermittedSubclasses()) {
      if (!type.isRecord()) {
        throw new AssertionError(type + " is not a record: teach StoreSamples to build it");
      }
      samples.add(sealedInterface.cast(sampleRecord(type, nulls)));
    }
    return samples;
  }

  private static Object sampleRecord(Class<?> type, boolean nulls) {
    RecordComponent[] components = type.getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      boolean nullable = !types[i].isPrimitive();
      values[i] =
          nulls && nullable
              ? null
              : sample(
                  components[i].getGenericType(),
                  type.getSimpleName() + "." + components[i].getName());
    }
    try {
      Constructor<?> constructor = type.getDeclaredConstructor(types);
      return constructor.newInstance(values);
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (nulls && e.getCause() instanceof NullPointerException) {
        return sampleRecord(type, false); // a record that refuses nulls gets sample values
      }
      throw new AssertionError("cannot build a sample " + type.getName(), e);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot build a sample " + type.getName(), e);
    }
  }

  private static Object sample(Type type, String where) {
    if (type instanceof Class<?> c) {
      if (c == String.class) {
        return where + "-value";
      }
      if (c == long.class || c == Long.class) {
        return 9_007_199_254_740_993L;
      }
      if (c == int.class || c == Integer.class) {
        return 7;
      }
      if (c == boolean.class || c == Boolean.class) {
        return true;
      }
      if (c == Instant.class) {
        return at(42);
      }
      if (c == Duration.class) {
        return Duration.ofMillis(1500);
      }
      if (c.isRecord()) {
        return sampleRecord(c, false);
      }
    }
    if (type instanceof ParameterizedType p) {
      Type[] args = p.getActualTypeArguments();
      if (p.getRawType() == List.class && args[0] == String.class) {
        return List.of(where + "-a", where + "-b");
      }
      if (p.getRawType() == List.class && args[0] == EventRecord.class) {
        return List.of(
            new EventRecord(7, T0, new InstanceEvent.VariablesSet(1, Map.of("at", where))),
            new EventRecord(8, at(1), new InstanceEvent.InstanceEnded("COMPLETED")));
      }
      if (p.getRawType() == List.class && args[0] == Object.class) {
        return java.util.Arrays.asList(
            where, 3L, new java.math.BigDecimal("2.5"), null, nestedVariables());
      }
      if (p.getRawType() == Map.class && args[0] == String.class && args[1] == String.class) {
        return Map.of("header", where);
      }
      if (p.getRawType() == Map.class && args[0] == String.class && args[1] == Object.class) {
        return nestedVariables();
      }
    }
    throw new AssertionError(
        "no sample value for " + type + " of " + where + ": add one to StoreSamples.sample");
  }
}
