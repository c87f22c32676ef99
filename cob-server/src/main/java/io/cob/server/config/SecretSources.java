package io.cob.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resolves the {@code secrets} section of {@code cob.yaml}: each secret is a value written there,
 * {@code {env: VAR}} (read from the environment when the node starts) or {@code {file: PATH}} (the
 * file's content without its final line break, as container platforms mount secrets; a relative
 * path is relative to the configuration file). Errors name the secret, never its value. The keys of
 * {@code bus.keys} take the same forms.
 */
final class SecretSources {
  private SecretSources() {}

  static Map<String, String> resolve(
      Map<String, Object> raw, Path baseDir, Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>();
    raw.forEach((name, source) -> out.put(name, resolveOne(name, source, baseDir, env)));
    return out;
  }

  private static String resolveOne(
      String name, Object source, Path baseDir, Map<String, String> env) {
    String key = "secrets." + name;
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new ConfigException(
          key + ": a secret name may hold only letters, digits, '_', '.' and '-'");
    }
    return value(key, source, baseDir, env);
  }

  /**
   * One value given in one of the secret forms (also used for {@code bus.keys}).
   *
   * @param key how errors name the value, e.g. {@code secrets.token}
   */
  static String value(String key, Object source, Path baseDir, Map<String, String> env) {
    if (source instanceof String || source instanceof Number || source instanceof Boolean) {
      return String.valueOf(source);
    }
    if (source instanceof Map<?, ?> m && m.size() == 1) {
      if (m.get("env") instanceof String var) {
        String value = env.get(var);
        if (value == null) {
          throw new ConfigException(key + ": environment variable " + var + " is not set");
        }
        return value;
      }
      if (m.get("file") instanceof String file) {
        Path p = baseDir == null ? Path.of(file) : baseDir.resolve(file);
        try {
          return Files.readString(p, StandardCharsets.UTF_8).replaceFirst("\\r?\\n$", "");
        } catch (IOException e) {
          throw new ConfigException(key + ": cannot read file " + p + " (" + e.getMessage() + ")");
        }
      }
    }
    throw new ConfigException(
        key + " must be a value, {env: VARIABLE} or {file: PATH}, not " + describe(source));
  }

  private static String describe(Object source) {
    return source == null
        ? "empty"
        : source instanceof Map<?, ?> m ? "a mapping with keys " + m.keySet() : "a list";
  }
}
