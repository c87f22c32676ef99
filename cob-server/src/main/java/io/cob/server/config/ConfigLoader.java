package io.cob.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cob.server.http.RequestLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads {@code cob.yaml} and the {@code COB_…} environment variables into a {@link NodeConfig}.
 *
 * <p>The file is optional. Its keys are those of the API contract: {@code node.cloud}, {@code
 * node.id}, {@code node.http.port}, {@code store.url}, {@code bus.url} and {@code
 * clouds.NAME.{provider, region, jurisdiction, costPerStep, costPerGb, availability}}; and cob's
 * extensions: {@code clouds.NAME.standby}, {@code clouds.NAME.replication}, {@code
 * node.http.publicUrl}, {@code secrets.NAME} (a value, {@code {env: VAR}} or {@code {file: PATH}}),
 * {@code connectors.NAME.*} (free-form settings of one connector), {@code blobs.maxBytes}, the
 * request limits {@code node.http.maxBodyBytes}, {@code node.http.maxJsonDepth} and {@code
 * node.http.maxJsonStringLength} ({@link RequestLimits}), {@code tracing.otlp.endpoint}, {@code
 * tracing.otlp.protocol} and {@code tracing.sampler} ({@link TracingConfig}), and the bus settings
 * {@code bus.amqp.*}, {@code bus.keys}, {@code bus.signing.*}, {@code bus.heartbeat.*}, {@code
 * bus.connect.*}, {@code bus.healthGrace}, {@code bus.dispatchLease}, {@code bus.consumers}, {@code
 * bus.remoteJobs} and {@code bus.ownership.*} ({@link BusConfig}, {@link BusSection}). An unknown
 * key or a value of the wrong type is a {@link ConfigException} naming the key, line and column.
 *
 * <p>Environment variables override the file: {@code COB_NODE_CLOUD}, {@code COB_NODE_ID}, {@code
 * COB_NODE_HTTP_PORT}, {@code COB_NODE_HTTP_PUBLIC_URL}, {@code COB_STORE_URL}, {@code
 * COB_BUS_URL}, {@code COB_BLOBS_MAX_BYTES}, {@code COB_NODE_HTTP_MAX_BODY_BYTES}, {@code
 * COB_NODE_HTTP_MAX_JSON_DEPTH}, {@code COB_NODE_HTTP_MAX_JSON_STRING_LENGTH}, {@code
 * COB_TRACING_OTLP_ENDPOINT}, {@code COB_TRACING_OTLP_PROTOCOL}, {@code COB_TRACING_SAMPLER},
 * {@code COB_SECRETS_NAME} (the secret {@code NAME}), the {@code COB_BUS_…} variables of {@link
 * BusSection}, and {@code COB_CLOUDS}, {@code COB_CONNECTORS} and {@code COB_BUS_KEYS} (the whole
 * mapping as YAML or JSON, since cloud, pair and connector names may hold characters no variable
 * name can).
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML =
      JsonMapper.builder(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .build();

  private ConfigLoader() {}

  /**
   * Loads the configuration.
   *
   * @param file {@code cob.yaml}, or {@code null} for none
   * @param env the environment (normally {@link System#getenv()})
   * @throws ConfigException naming the key that is wrong
   */
  public static NodeConfig load(Path file, Map<String, String> env) {
    NodeConfig c = NodeConfig.defaults();
    if (file != null) {
      c = fromFile(file, c, env);
    }
    c = fromEnvironment(env, c);
    return validate(c);
  }

  private static NodeConfig fromFile(Path file, NodeConfig c, Map<String, String> env) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("configuration file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException(
          "cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
    if (text.isBlank()) {
      return c;
    }
    FileConfig f;
    try {
      f = YAML.readValue(text, FileConfig.class);
    } catch (JsonProcessingException e) {
      throw new ConfigException(describe(file.toString(), text, e), e);
    }
    if (f == null) {
      return c;
    }
    if (f.node() != null) {
      if (f.node().cloud() != null) {
        c = c.withCloud(f.node().cloud());
      }
      if (f.node().id() != null) {
        c = c.withNodeId(f.node().id());
      }
      if (f.node().http() != null && f.node().http().port() != null) {
        c = c.withHttpPort(f.node().http().port());
      }
      if (f.node().http() != null && f.node().http().publicUrl() != null) {
        c = c.withPublicUrl(f.node().http().publicUrl());
      }
      if (f.node().http() != null) {
        c = withLimits(c, f.node().http());
      }
    }
    if (f.store() != null && f.store().url() != null) {
      c = c.withStoreUrl(f.store().url());
    }
    if (f.bus() != null) {
      c = c.withBus(BusSection.fromFile(f.bus(), c.bus(), file.getParent(), env));
    }
    if (f.clouds() != null) {
      c = withClouds(c, f.clouds());
    }
    if (f.secrets() != null) {
      c = c.withSecrets(SecretSources.resolve(f.secrets(), file.getParent(), env));
    }
    if (f.connectors() != null) {
      c = c.withConnectors(connectors(f.connectors()));
    }
    if (f.blobs() != null && f.blobs().maxBytes() != null) {
      c = c.withBlobMaxBytes(f.blobs().maxBytes());
    }
    if (f.tracing() != null) {
      c = c.withTracing(tracing(f.tracing(), c.tracing()));
    }
    return c;
  }

  private static TracingConfig tracing(Tracing t, TracingConfig c) {
    if (t.otlp() != null && t.otlp().endpoint() != null) {
      c = c.withEndpoint(t.otlp().endpoint());
    }
    if (t.otlp() != null && t.otlp().protocol() != null) {
      c = c.withProtocol(t.otlp().protocol());
    }
    if (t.sampler() != null) {
      c = c.withSampler(TracingConfig.Sampling.parse(t.sampler(), "tracing.sampler"));
    }
    return c;
  }

  private static Map<String, Map<String, Object>> connectors(Map<String, Map<String, Object>> raw) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    raw.forEach((name, settings) -> out.put(name, settings == null ? Map.of() : settings));
    return out;
  }

  private static NodeConfig fromEnvironment(Map<String, String> env, NodeConfig c) {
    String v;
    if ((v = env.get("COB_NODE_CLOUD")) != null) {
      c = c.withCloud(v);
    }
    if ((v = env.get("COB_NODE_ID")) != null) {
      c = c.withNodeId(v);
    }
    if ((v = env.get("COB_NODE_HTTP_PORT")) != null) {
      try {
        c = c.withHttpPort(Integer.parseInt(v.trim()));
      } catch (NumberFormatException e) {
        throw new ConfigException(
            "COB_NODE_HTTP_PORT (node.http.port) must be a whole number, not '" + v + "'");
      }
    }
    if ((v = env.get("COB_NODE_HTTP_PUBLIC_URL")) != null) {
      c = c.withPublicUrl(v);
    }
    c =
        withLimits(
            c,
            new Http(
                null,
                null,
                envNumber(env, "COB_NODE_HTTP_MAX_BODY_BYTES", "node.http.maxBodyBytes"),
                intOrNull(envNumber(env, "COB_NODE_HTTP_MAX_JSON_DEPTH", "node.http.maxJsonDepth")),
                intOrNull(
                    envNumber(
                        env,
                        "COB_NODE_HTTP_MAX_JSON_STRING_LENGTH",
                        "node.http.maxJsonStringLength"))));
    if ((v = env.get("COB_BLOBS_MAX_BYTES")) != null) {
      try {
        c = c.withBlobMaxBytes(Long.parseLong(v.trim()));
      } catch (NumberFormatException e) {
        throw new ConfigException(
            "COB_BLOBS_MAX_BYTES (blobs.maxBytes) must be a whole number, not '" + v + "'");
      }
    }
    Map<String, String> envSecrets = new LinkedHashMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith("COB_SECRETS_") && name.length() > "COB_SECRETS_".length()) {
            envSecrets.put(name.substring("COB_SECRETS_".length()), value);
          }
        });
    c = c.withSecrets(envSecrets);
    if ((v = env.get("COB_CONNECTORS")) != null) {
      try {
        Connectors connectors = YAML.readValue(v, Connectors.class);
        c = c.withConnectors(connectors == null ? Map.of() : connectors(connectors.map()));
      } catch (JsonProcessingException e) {
        throw new ConfigException(describe("COB_CONNECTORS", v, e), e);
      }
    }
    if ((v = env.get("COB_TRACING_OTLP_ENDPOINT")) != null) {
      c = c.withTracing(c.tracing().withEndpoint(v.isBlank() ? null : v.trim()));
    }
    if ((v = env.get("COB_TRACING_OTLP_PROTOCOL")) != null) {
      c = c.withTracing(c.tracing().withProtocol(v.trim()));
    }
    if ((v = env.get("COB_TRACING_SAMPLER")) != null) {
      c =
          c.withTracing(
              c.tracing()
                  .withSampler(
                      TracingConfig.Sampling.parse(v, "COB_TRACING_SAMPLER (tracing.sampler)")));
    }
    if ((v = env.get("COB_STORE_URL")) != null) {
      c = c.withStoreUrl(v);
    }
    c = c.withBus(BusSection.fromEnvironment(env, c.bus(), YAML));
    if ((v = env.get("COB_CLOUDS")) != null) {
      try {
        Clouds clouds = YAML.readValue(v, Clouds.class);
        c = withClouds(c, clouds == null ? Map.of() : clouds.map());
      } catch (JsonProcessingException e) {
        throw new ConfigException(describe("COB_CLOUDS", v, e), e);
      }
    }
    return c;
  }

  /** The request limits of {@code node.http}, each one given replacing the current one. */
  private static NodeConfig withLimits(NodeConfig c, Http http) {
    RequestLimits now = c.requestLimits();
    if (http.maxBodyBytes() == null
        && http.maxJsonDepth() == null
        && http.maxJsonStringLength() == null) {
      return c;
    }
    try {
      return c.withRequestLimits(
          new RequestLimits(
              http.maxBodyBytes() != null ? http.maxBodyBytes() : now.maxBodyBytes(),
              http.maxJsonDepth() != null ? http.maxJsonDepth() : now.maxJsonDepth(),
              http.maxJsonStringLength() != null
                  ? http.maxJsonStringLength()
                  : now.maxJsonStringLength()));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static Long envNumber(Map<String, String> env, String name, String key) {
    String v = env.get(name);
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " (" + key + ") must be a whole number, not '" + v + "'");
    }
  }

  private static Integer intOrNull(Long v) {
    if (v == null) {
      return null;
    }
    if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
      throw new ConfigException("a limit of " + v + " is beyond " + Integer.MAX_VALUE);
    }
    return v.intValue();
  }

  private static NodeConfig withClouds(NodeConfig c, Map<String, CloudConfig> clouds) {
    Map<String, CloudConfig> copy = new LinkedHashMap<>();
    clouds.forEach(
        (name, cloud) ->
            copy.put(
                name, cloud == null ? new CloudConfig(null, null, null, null, null, null) : cloud));
    return c.withClouds(copy);
  }

  /**
   * Checks values that parse but make no sense; used again after command-line overrides.
   *
   * @throws ConfigException naming the key
   */
  public static NodeConfig validate(NodeConfig c) {
    if (c.cloud() == null || c.cloud().isBlank()) {
      throw new ConfigException("node.cloud must not be empty");
    }
    if (c.nodeId() == null || c.nodeId().isBlank()) {
      throw new ConfigException("node.id must not be empty");
    }
    if (c.httpPort() < 0 || c.httpPort() > 65535) {
      throw new ConfigException("node.http.port must be between 0 and 65535, not " + c.httpPort());
    }
    String store = c.storeUrl();
    if (store == null || !(store.startsWith("jdbc:h2:") || store.startsWith("jdbc:postgresql:"))) {
      throw new ConfigException(
          "store.url must be a jdbc:h2: or jdbc:postgresql: URL, not '" + store + "'");
    }
    if (!c.clouds().isEmpty() && !c.clouds().containsKey(c.cloud())) {
      throw new ConfigException(
          "node.cloud '"
              + c.cloud()
              + "' is not one of the clouds: "
              + String.join(", ", c.clouds().keySet()));
    }
    for (Map.Entry<String, CloudConfig> e : c.clouds().entrySet()) {
      String mode = e.getValue().replication();
      if (mode != null && !mode.equals("async") && !mode.equals("sync")) {
        throw new ConfigException(
            "clouds." + e.getKey() + ".replication must be async or sync, not '" + mode + "'");
      }
      for (String standby : e.getValue().standby()) {
        if (standby.equals(e.getKey()) || !c.clouds().containsKey(standby)) {
          throw new ConfigException(
              "clouds."
                  + e.getKey()
                  + ".standby: '"
                  + standby
                  + "' must be another of the clouds: "
                  + String.join(", ", c.clouds().keySet()));
        }
      }
      if (e.getValue().availability() != null
          && (e.getValue().availability().signum() < 0
              || e.getValue().availability().doubleValue() > 100)) {
        throw new ConfigException(
            "clouds." + e.getKey() + ".availability must be a percentage (0 to 100)");
      }
    }
    BusSection.validate(c);
    c.tracing().validate();
    if (c.blobMaxBytes() <= 0) {
      throw new ConfigException("blobs.maxBytes must be positive, not " + c.blobMaxBytes());
    }
    if (c.publicUrl() != null) {
      try {
        java.net.URI u = new java.net.URI(c.publicUrl());
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
            || u.getHost() == null) {
          throw new java.net.URISyntaxException(c.publicUrl(), "not an http(s) URL with a host");
        }
      } catch (java.net.URISyntaxException e) {
        throw new ConfigException(
            "node.http.publicUrl must be an http:// or https:// URL, not '" + c.publicUrl() + "'");
      }
    }
    return c;
  }

  /** Names the key (as a dotted path), the line and column, and what was wrong. */
  static String describe(String source, String text, JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    if (e instanceof JsonMappingException m) {
      List<String> path = new ArrayList<>();
      for (JsonMappingException.Reference r : m.getPath()) {
        if (r.getFieldName() == null) {
          break; // inside a list: the list's key is precise enough
        }
        path.add(r.getFieldName());
      }
      String key = String.join(".", path);
      // Jackson reports where it noticed, which may be past the key; the key's own place is
      // clearer.
      JsonLocation keyAt = locate(text, path);
      String where = at(source, keyAt != null ? keyAt : loc);
      if (e instanceof UnrecognizedPropertyException u) {
        String known =
            u.getKnownPropertyIds() == null
                ? ""
                : u.getKnownPropertyIds().stream()
                    .map(String::valueOf)
                    .sorted()
                    .collect(Collectors.joining(", "));
        return where
            + ": unknown key '"
            + key
            + "'"
            + (known.isEmpty() ? "" : " (known keys there: " + known + ")");
      }
      if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
        return where + ": key '" + key + "' must be " + expected(mi.getTargetType());
      }
      return where + ": key '" + key + "': " + m.getOriginalMessage();
    }
    return at(source, loc) + ": not valid YAML: " + e.getOriginalMessage();
  }

  private static String at(String source, JsonLocation loc) {
    return source
        + (loc == null || loc.getLineNr() < 1
            ? ""
            : ":" + loc.getLineNr() + ":" + loc.getColumnNr());
  }

  /** Where the key at {@code path} stands in the YAML text, or {@code null}. */
  static JsonLocation locate(String text, List<String> path) {
    if (path.isEmpty()) {
      return null;
    }
    try (JsonParser p = YAML.getFactory().createParser(text)) {
      Deque<String> stack = new ArrayDeque<>();
      String pending = null;
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        switch (t) {
          case START_OBJECT -> {
            stack.addLast(pending == null ? "" : pending);
            pending = null;
          }
          case END_OBJECT -> stack.pollLast();
          case START_ARRAY -> {
            p.skipChildren();
            pending = null;
          }
          case FIELD_NAME -> {
            List<String> here = new ArrayList<>();
            stack.stream().skip(1).forEach(here::add);
            here.add(p.currentName());
            if (here.equals(path)) {
              return p.currentTokenLocation();
            }
            pending = p.currentName();
          }
          default -> pending = null;
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  private static String expected(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (type == String.class) {
      return "a text value";
    }
    if (java.util.List.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a mapping";
  }

  // The shape of cob.yaml; Jackson rejects every key not declared here.
  record FileConfig(
      Node node,
      Section store,
      BusSection.File bus,
      LinkedHashMap<String, CloudConfig> clouds,
      LinkedHashMap<String, Object> secrets,
      LinkedHashMap<String, Map<String, Object>> connectors,
      Blobs blobs,
      Tracing tracing) {}

  record Node(String cloud, String id, Http http) {}

  record Http(
      Integer port,
      String publicUrl,
      Long maxBodyBytes,
      Integer maxJsonDepth,
      Integer maxJsonStringLength) {}

  record Blobs(Long maxBytes) {}

  record Tracing(Otlp otlp, String sampler) {}

  record Otlp(String endpoint, String protocol) {}

  /** {@code COB_CONNECTORS}: the connectors mapping alone. */
  record Connectors(Map<String, Map<String, Object>> map) {
    @com.fasterxml.jackson.annotation.JsonCreator(
        mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
    Connectors {}
  }

  record Section(String url) {}

  /** {@code COB_CLOUDS}: the clouds mapping alone. */
  record Clouds(Map<String, CloudConfig> map) {
    @com.fasterxml.jackson.annotation.JsonCreator(
        mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
    Clouds {}
  }
}
