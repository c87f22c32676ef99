package io.cob.server.xcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobResult;
import io.cob.engine.port.bus.Envelope;
import io.cob.server.xcloud.JobEnvelopes.Kind;
import io.cob.server.xcloud.JobEnvelopes.MalformedPayloadException;
import io.cob.server.xcloud.JobEnvelopes.Result;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobEnvelopesTest {
  private static final Instant T = Instant.parse("2026-03-01T08:00:00.123Z");
  private static final String INSTANCE = "01a22762-21e8-7720-8c99-547f7d09b1ca";
  private static final ActivatedJob JOB =
      new ActivatedJob(
          INSTANCE + ":6",
          "http",
          INSTANCE,
          "charge",
          5,
          3,
          Map.of("amount", new BigDecimal("12.50"), "items", List.of("a", "b")),
          Map.of("url", "https://pay.example/charge"),
          INSTANCE + ":5",
          Map.of("method", "POST"));

  @Test
  void shouldCarryTheWholeJobToTheTargetCloudWithItsTrace() {
    Envelope e = JobEnvelopes.dispatch(JOB, "private", "public-a", T);

    assertThat(e.type()).isEqualTo("job.dispatch");
    assertThat(e.sourceCloud()).isEqualTo("private");
    assertThat(e.targetCloud()).isEqualTo("public-a");
    assertThat(e.instanceId()).isEqualTo(INSTANCE);
    assertThat(e.epoch()).isZero();
    assertThat(e.tenant()).isEqualTo("default");
    assertThat(e.traceparent()).startsWith("00-" + INSTANCE.replace("-", "") + "-");
    JobEnvelopes.Dispatch d = JobEnvelopes.readDispatch(e);
    assertThat(d.job()).isEqualTo(JOB);
    assertThat(d.sentAt()).isEqualTo(T);
    assertThat(JobEnvelopes.dispatch(JOB, "private", "public-a", T).messageId())
        .as("a new message each send")
        .isNotEqualTo(e.messageId());
  }

  @Test
  void shouldCarryAnOutcomeBackToTheCloudThatSentTheJob() {
    RemoteJob remote =
        new RemoteJob(JOB, "private", "default", "00-tp-01", "public-a", "node-a", T, T, T);
    Result failed =
        Result.of(new JobResult.Fail("503 from pay", 1, Duration.ofSeconds(30)), remote, T);

    Envelope e = JobEnvelopes.result(failed, remote, T.plusMillis(5));

    assertThat(e.type()).isEqualTo("job.result");
    assertThat(e.sourceCloud()).isEqualTo("public-a");
    assertThat(e.targetCloud()).isEqualTo("private");
    assertThat(e.traceparent()).isEqualTo("00-tp-01");
    Result back = JobEnvelopes.readResult(e);
    assertThat(back).isEqualTo(failed);
    assertThat(back.kind()).isEqualTo(Kind.FAIL);
    assertThat(back.backoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(back.node()).isEqualTo("node-a");
  }

  @Test
  void shouldNameTheMessageAndSourceOfAMalformedPayload() {
    Envelope notJson =
        Envelope.builder("m-1", "job.dispatch", "public-b")
            .targetCloud("private")
            .sentAt(T)
            .payload("{not json".getBytes(StandardCharsets.UTF_8))
            .build();
    Envelope noKind =
        Envelope.builder("m-2", "job.result", "public-b")
            .targetCloud("private")
            .sentAt(T)
            .payload(
                "{\"jobKey\":\"i:1\",\"cloud\":\"public-b\",\"node\":\"n\"}"
                    .getBytes(StandardCharsets.UTF_8))
            .build();

    assertThatThrownBy(() -> JobEnvelopes.readDispatch(notJson))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessageStartingWith(
            "malformed job.dispatch payload of message m-1 from cloud 'public-b'");
    assertThatThrownBy(() -> JobEnvelopes.readResult(noKind))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessageContaining("message m-2")
        .hasMessageContaining("jobKey, kind, cloud or node is missing");
  }
}
