package io.cob.bench;

/**
 * Builds one engine under test. Each engine module registers one (java.util.ServiceLoader), so the
 * harness finds the engine on the class path of the JVM it was started with and never links against
 * any engine itself.
 */
public interface BenchEngineFactory {
  Vendor vendor();

  /**
   * Builds and starts the engine on a fresh, empty database, with a pool of that many connections.
   */
  BenchEngine open(String jdbcUrl, int poolSize);
}
