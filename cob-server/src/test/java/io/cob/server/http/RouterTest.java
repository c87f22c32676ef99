package io.cob.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
  private final Handler h = c -> Reply.noContent();

  @Test
  void literalSegmentsWinOverParameters() {
    Router r =
        new Router()
            .post("/jobs/{key}/complete", h)
            .post("/jobs/activate", h)
            .post("/jobs/{key}", h);

    assertThat(r.match("POST", "/jobs/activate").orElseThrow().route().path())
        .isEqualTo("/jobs/activate");
    assertThat(r.match("POST", "/jobs/i:1").orElseThrow().params()).isEqualTo(Map.of("key", "i:1"));
    assertThat(r.match("POST", "/jobs/i:1/complete").orElseThrow().params())
        .isEqualTo(Map.of("key", "i:1"));
  }

  @Test
  void knowsWhichMethodsAPathHas() {
    Router r = new Router().get("/things/{id}", h).delete("/things/{id}", h);

    assertThat(r.match("POST", "/things/1")).isEmpty();
    assertThat(r.methodsOf("/things/1")).containsExactly("GET", "DELETE");
    assertThat(r.methodsOf("/other")).isEmpty();
    assertThat(r.match("GET", "/things/")).isEmpty();
  }

  @Test
  void refusesTheSameRouteTwice() {
    Router r = new Router().get("/a", h);
    assertThatThrownBy(() -> r.get("/a", h)).hasMessageContaining("twice");
  }
}
