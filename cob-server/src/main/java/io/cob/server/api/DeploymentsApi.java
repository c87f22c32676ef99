package io.cob.server.api;

import io.cob.engine.Engine;
import io.cob.engine.port.StoreRows.DeploymentResult;
import io.cob.engine.runtime.BpmnResource;
import io.cob.server.http.Call;
import io.cob.server.http.Multipart;
import io.cob.server.http.Reply;
import io.cob.server.http.Router;
import io.cob.server.metrics.NodeMetrics;
import io.cob.server.problem.ProblemException;
import io.cob.server.problem.Problems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /deployments}: one BPMN document as the body ({@code application/xml}, name from
 * {@code ?name=}) or several as {@code multipart/form-data}, one part per file (named by the part's
 * filename). All or nothing: when any file is invalid the answer is 400 listing every problem of
 * every file, and nothing is deployed.
 */
public final class DeploymentsApi {
  /** The largest deployment request: 10 MiB, the parser's limit for one document. */
  public static final long MAX_BODY = 10L << 20;

  private final Engine engine;
  private final NodeMetrics metrics;

  public DeploymentsApi(Engine engine, NodeMetrics metrics) {
    this.engine = engine;
    this.metrics = metrics;
  }

  public void register(Router r) {
    r.add("POST", "/api/v1/deployments", MAX_BODY, this::deploy);
  }

  /** The answer's shape. */
  public record Deployed(String deploymentId, List<DeployedProcess> processes) {}

  public record DeployedProcess(String processId, int version, String key) {}

  Reply deploy(Call call) throws Exception {
    call.allowQuery("name");
    String mt = call.mediaType();
    List<BpmnResource> resources = new ArrayList<>();
    if (mt != null && mt.equals("multipart/form-data")) {
      List<Multipart.Part> parts =
          Multipart.parse(call.body(), Multipart.boundary(call.header("Content-Type")));
      Map<String, Integer> seen = new LinkedHashMap<>();
      for (Multipart.Part p : parts) {
        String name =
            p.fileName() != null && !p.fileName().isBlank()
                ? p.fileName()
                : p.name() != null ? p.name() : "file-" + (resources.size() + 1) + ".bpmn";
        if (seen.merge(name, 1, Integer::sum) > 1) {
          throw ProblemException.invalid(
              name, "two parts are named '" + name + "'; each file needs its own name");
        }
        resources.add(new BpmnResource(name, p.content()));
      }
      if (resources.isEmpty()) {
        throw ProblemException.invalid(
            "", "the multipart body has no part; send one part per BPMN file");
      }
    } else if (mt == null
        || mt.equals("application/xml")
        || mt.equals("text/xml")
        || mt.equals("application/bpmn+xml")
        || mt.equals("application/octet-stream")) {
      byte[] body = call.body();
      if (body.length == 0) {
        throw ProblemException.invalid("", "the body is empty; send a BPMN document");
      }
      String name = call.query("name") != null ? call.query("name") : "deployment.bpmn";
      resources.add(new BpmnResource(name, body));
    } else {
      throw new ProblemException(
          415,
          Problems.TYPE_UNSUPPORTED_MEDIA,
          "Unsupported media type",
          "a deployment is application/xml (one BPMN document) or multipart/form-data (several), not "
              + mt,
          List.of());
    }
    DeploymentResult result = metrics.time("deploy", () -> engine.deploy(resources));
    List<DeployedProcess> processes =
        result.processes().stream()
            .map(p -> new DeployedProcess(p.processId(), p.version(), p.key()))
            .toList();
    return Reply.json(201, new Deployed(result.deploymentId(), processes));
  }
}
