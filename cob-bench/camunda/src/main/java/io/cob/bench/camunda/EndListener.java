package io.cob.bench.camunda;

import io.cob.bench.Completions;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;

/**
 * The process-level end listener of the Camunda models. The end is reported only once the
 * transaction that ended the instance has committed, as for the other engines: an end that could
 * still roll back is not a completed instance.
 */
public final class EndListener implements ExecutionListener {
  @Override
  public void notify(DelegateExecution execution) {
    String key = execution.getProcessBusinessKey();
    Context.getCommandContext()
        .getTransactionContext()
        .addTransactionListener(
            TransactionState.COMMITTED, ctx -> Completions.INSTANCE.instanceEnded(key));
  }
}
