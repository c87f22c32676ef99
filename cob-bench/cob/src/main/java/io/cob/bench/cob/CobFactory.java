package io.cob.bench.cob;

import io.cob.bench.BenchEngine;
import io.cob.bench.BenchEngineFactory;
import io.cob.bench.Completions;
import io.cob.bench.Vendor;

/** Registers {@link CobBench} with the harness. */
public final class CobFactory implements BenchEngineFactory {
  @Override
  public Vendor vendor() {
    return Vendor.COB;
  }

  @Override
  public BenchEngine open(String url, int poolSize) {
    return new CobBench(url, poolSize, Completions.INSTANCE);
  }
}
