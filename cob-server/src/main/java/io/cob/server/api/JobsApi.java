package io.cob.server.api;

import io.cob.engine.Engine;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.Store;
import io.cob.server.http.Call;
import io.cob.server.http.Reply;
import io.cob.server.http.Router;
import io.cob.server.metrics.NodeMetrics;
import io.cob.server.problem.ProblemException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Jobs for external workers.
 *
 * <ul>
 *   <li>{@code POST /jobs/activate}: locks up to {@code maxJobs} due jobs of {@code type} for
 *       {@code lockDuration}, waiting up to {@code requestTimeout} (default 0, at most 60 s) for
 *       some to appear (long poll; the wait holds only a virtual thread). 200 with the jobs, maybe
 *       none. A job whose lock expires goes to the next activation, with the same {@code
 *       idempotencyKey}.
 *   <li>{@code POST /jobs/{key}/complete}, {@code /fail}, {@code /error}: 204; 404 when the job is
 *       not open (unknown, or already completed, failed for good or canceled); 409 when the engine
 *       refuses the report for another reason.
 * </ul>
 */
public final class JobsApi {
  public static final Duration MAX_REQUEST_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration MAX_LOCK = Duration.ofDays(1);
  public static final int MAX_JOBS = 1000;

  private final Engine engine;
  private final Store store;
  private final NodeMetrics metrics;

  public JobsApi(Engine engine, NodeMetrics metrics) {
    this.engine = engine;
    this.store = engine.store();
    this.metrics = metrics;
  }

  public void register(Router r) {
    r.post("/api/v1/jobs/activate", this::activate);
    r.post("/api/v1/jobs/{key}/complete", this::complete);
    r.post("/api/v1/jobs/{key}/fail", this::fail);
    r.post("/api/v1/jobs/{key}/error", this::error);
  }

  public record ActivateRequest(
      String type,
      String worker,
      Integer maxJobs,
      Duration lockDuration,
      Duration requestTimeout) {}

  public record CompleteRequest(Map<String, Object> variables) {}

  public record FailRequest(Integer retries, String errorMessage, Duration retryBackoff) {}

  public record ErrorRequest(
      String errorCode, String errorMessage, Map<String, Object> variables) {}

  Reply activate(Call call) throws Exception {
    call.allowQuery();
    ActivateRequest req = call.json(ActivateRequest.class, true);
    String type = Fields.text(req.type(), "type");
    String worker = Fields.text(req.worker(), "worker");
    int max = Fields.range(req.maxJobs(), "maxJobs", 1, MAX_JOBS);
    Duration lock =
        Fields.duration(req.lockDuration(), "lockDuration", Duration.ofMillis(100), MAX_LOCK);
    Duration wait =
        req.requestTimeout() == null
            ? Duration.ZERO
            : Fields.duration(
                req.requestTimeout(), "requestTimeout", Duration.ZERO, MAX_REQUEST_TIMEOUT);
    List<ActivatedJob> jobs = engine.activateJobs(type, worker, max, lock, wait);
    metrics.jobsActivated(jobs.size());
    return Reply.ok(jobs.stream().map(Views::job).toList());
  }

  Reply complete(Call call) throws Exception {
    call.allowQuery();
    String key = call.param("key");
    CompleteRequest req = call.json(CompleteRequest.class, false);
    requireOpen(key);
    metrics.run("completeJob", () -> engine.completeJob(key, req == null ? null : req.variables()));
    return Reply.noContent();
  }

  Reply fail(Call call) throws Exception {
    call.allowQuery();
    String key = call.param("key");
    FailRequest req = call.json(FailRequest.class, true);
    int retries = Fields.range(req.retries(), "retries", 0, Integer.MAX_VALUE);
    String message = Fields.text(req.errorMessage(), "errorMessage");
    Duration backoff =
        req.retryBackoff() == null
            ? null
            : Fields.duration(req.retryBackoff(), "retryBackoff", Duration.ZERO, MAX_LOCK);
    requireOpen(key);
    metrics.run("failJob", () -> engine.failJob(key, retries, message, backoff));
    return Reply.noContent();
  }

  Reply error(Call call) throws Exception {
    call.allowQuery();
    String key = call.param("key");
    ErrorRequest req = call.json(ErrorRequest.class, true);
    String code = Fields.text(req.errorCode(), "errorCode");
    requireOpen(key);
    metrics.run(
        "throwError", () -> engine.throwError(key, code, req.errorMessage(), req.variables()));
    return Reply.noContent();
  }

  private void requireOpen(String key) {
    if (store.job(key).isEmpty()) {
      throw ProblemException.notFound(
          "job "
              + key
              + " is not open (unknown, or already completed, failed for good"
              + " or canceled)");
    }
  }
}
