package io.cob.engine;

import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobDispatch;
import io.cob.engine.port.JobHandler;
import io.cob.engine.port.JobResult;
import io.cob.engine.runtime.CommandRejectedException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Stands in, in tests, for the nodes of the other clouds: a job dispatched to a cloud is run there
 * by the handler of its type (the same handlers as the engine's), and its outcome is sent back as
 * the command the owner applies. Records every dispatch, so tests can see what went where.
 */
public final class LoopbackDispatch implements JobDispatch {

  /** One dispatch: which job to which cloud. */
  public record Sent(ActivatedJob job, String cloud) {}

  private final Map<String, JobHandler> handlers;
  private final Supplier<Engine> engine;
  private final List<Sent> sent = new CopyOnWriteArrayList<>();

  public LoopbackDispatch(Map<String, JobHandler> handlers, Supplier<Engine> engine) {
    this.handlers = handlers;
    this.engine = engine;
  }

  public List<Sent> sent() {
    return List.copyOf(sent);
  }

  @Override
  public void dispatch(ActivatedJob job, String cloud) {
    sent.add(new Sent(job, cloud));
    JobHandler handler = handlers.get(job.type());
    if (handler == null) {
      return; // nobody in that cloud runs this type: the job waits, as it would there
    }
    JobResult result;
    try {
      result = handler.handle(job);
    } catch (Exception e) {
      result = new JobResult.Fail(e.getClass().getSimpleName() + ": " + e.getMessage(), null, null);
    }
    try {
      switch (result) {
        case JobResult.Complete c -> engine.get().completeJob(job.key(), c.variables());
        case JobResult.Fail f ->
            engine.get().failJob(job.key(), f.retries(), f.errorMessage(), f.backoff());
        case JobResult.Error e ->
            engine
                .get()
                .throwError(
                    job.key(),
                    e.errorCode(),
                    e.errorMessage(),
                    e.variables() == null ? Map.of() : e.variables());
        case JobResult.Await a -> {
          // the answer comes later, by the handler's own path
        }
      }
    } catch (CommandRejectedException e) {
      // the job ended meanwhile (canceled, placed again): the late outcome is refused, as it would
      // be coming back from another cloud
    }
  }
}
