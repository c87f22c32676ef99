package io.cob.connectors;

import static io.cob.connectors.TestContexts.context;
import static io.cob.connectors.TestContexts.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobResult;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorJobHandlerTest {

  private static JobResult run(RuntimeException thrown) throws Exception {
    Connector c =
        new Connector() {
          @Override
          public String type() {
            return "x";
          }

          @Override
          public JobResult execute(ActivatedJob job, JobConfig config) {
            throw thrown;
          }
        };
    return new ConnectorJobHandler(c, context(Map.of(), null)).handle(job("x", Map.of(), Map.of()));
  }

  @Test
  void shouldUseUpAllRetriesOnAMisconfiguration() throws Exception {
    assertThat(run(ConnectorException.misconfigured("setting 'url' is missing")))
        .isEqualTo(new JobResult.Fail("x task 'task': setting 'url' is missing", 0, null));
  }

  @Test
  void shouldUseUpOneRetryOnATransientFailureWithTheBackoffTheServiceAskedFor() throws Exception {
    assertThat(run(ConnectorException.retryAfter("503", Duration.ofSeconds(7))))
        .isEqualTo(new JobResult.Fail("x task 'task': 503", null, Duration.ofSeconds(7)));
  }
}
