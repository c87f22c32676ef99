package io.cob.server.http;

/**
 * Answers one request. Runs on a virtual thread of its own, so it may block (engine commands, store
 * queries, long polls). What it throws becomes a problem answer (see {@code
 * io.cob.server.problem.Problems}).
 */
@FunctionalInterface
public interface Handler {
  Reply handle(Call call) throws Exception;
}
