package io.cob.engine.processor;

import java.time.Duration;
import java.util.Map;

/** A message an instance throws (message throw or end event without a job), published after commit. */
public record MessagePublication(
    String name, String correlationKey, Map<String, Object> variables, Duration timeToLive) {}
