package io.cob.bench.camunda;

import io.cob.bench.BenchEngine;
import io.cob.bench.BenchEngineFactory;
import io.cob.bench.Vendor;

/** Registers {@link CamundaBench} with the harness. */
public final class CamundaFactory implements BenchEngineFactory {
  @Override
  public Vendor vendor() {
    return Vendor.CAMUNDA;
  }

  @Override
  public BenchEngine open(String url, int poolSize) {
    return new CamundaBench(url, poolSize);
  }
}
