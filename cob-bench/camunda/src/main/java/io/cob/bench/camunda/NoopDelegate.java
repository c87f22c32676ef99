package io.cob.bench.camunda;

import io.cob.bench.Completions;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/** The no-op step of the Camunda models: counts the call, nothing else. */
public final class NoopDelegate implements JavaDelegate {
  @Override
  public void execute(DelegateExecution execution) {
    Completions.INSTANCE.handlerCalled();
  }
}
