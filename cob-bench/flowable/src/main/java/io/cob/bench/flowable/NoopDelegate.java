package io.cob.bench.flowable;

import io.cob.bench.Completions;
import org.flowable.engine.delegate.DelegateExecution;
import org.flowable.engine.delegate.JavaDelegate;

/** The no-op step of the Flowable models: counts the call, nothing else. */
public final class NoopDelegate implements JavaDelegate {
  @Override
  public void execute(DelegateExecution execution) {
    Completions.INSTANCE.handlerCalled();
  }
}
