package io.cob.bench.flowable;

import io.cob.bench.BenchEngine;
import io.cob.bench.BenchEngineFactory;
import io.cob.bench.Vendor;

/** Registers {@link FlowableBench} with the harness. */
public final class FlowableFactory implements BenchEngineFactory {
  @Override
  public Vendor vendor() {
    return Vendor.FLOWABLE;
  }

  @Override
  public BenchEngine open(String url, int poolSize) {
    return new FlowableBench(url, poolSize);
  }
}
