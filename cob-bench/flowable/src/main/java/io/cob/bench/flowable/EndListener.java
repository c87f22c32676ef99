package io.cob.bench.flowable;

import io.cob.bench.Completions;
import org.flowable.common.engine.impl.cfg.TransactionState;
import org.flowable.common.engine.impl.context.Context;
import org.flowable.engine.delegate.DelegateExecution;
import org.flowable.engine.delegate.ExecutionListener;

/**
 * The process-level end listener of the Flowable models. The end is reported only once the
 * transaction that ended the instance has committed, as for the other engines.
 */
public final class EndListener implements ExecutionListener {
  @Override
  public void notify(DelegateExecution execution) {
    String key = execution.getProcessInstanceBusinessKey();
    Context.getTransactionContext()
        .addTransactionListener(
            TransactionState.COMMITTED, ctx -> Completions.INSTANCE.instanceEnded(key));
  }
}
