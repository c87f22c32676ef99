package io.cob.engine.jobs;

import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobHandler;
import io.cob.engine.port.JobResult;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job type {@code log}: writes one structured log line and completes. The task header {@code
 * message} is the text, where {@code {name}} is replaced by the variable's value; header {@code
 * level} is {@code info} (default), {@code warn} or {@code debug}. A re-run after a crash logs
 * again under the same idempotency key, which the line names.
 */
public final class LogJobHandler implements JobHandler {
  public static final String TYPE = "log";
  private static final Logger LOG = LoggerFactory.getLogger("cob.process");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

  @Override
  public JobResult handle(ActivatedJob job) {
    String text = render(job.headers().getOrDefault("message", job.elementId()), job.variables());
    String level = job.headers().getOrDefault("level", "info");
    String line =
        "instance="
            + job.instanceId()
            + " element="
            + job.elementId()
            + " key="
            + job.idempotencyKey()
            + " message=\""
            + text.replace("\"", "'")
            + "\"";
    switch (level) {
      case "warn" -> LOG.warn(line);
      case "debug" -> LOG.debug(line);
      default -> LOG.info(line);
    }
    return JobResult.complete();
  }

  static String render(String template, Map<String, Object> variables) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Object v = variables.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : String.valueOf(v)));
    }
    m.appendTail(out);
    return out.toString();
  }
}
