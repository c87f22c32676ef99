package io.cob.model.expr;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.model.Expression;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StandardExpressionEvaluatorConcurrencyTest {

  private static final int THREADS = 16;
  private static final int ROUNDS = 500;

  @Test
  void shouldEvaluateSameCachedExpressionsFromManyThreads() throws Exception {
    StandardExpressionEvaluator evaluator = new StandardExpressionEvaluator();
    Expression feel = Expression.feel("x * 2 + count(items)");
    Expression juel = Expression.of("${x * 2 + items.size()}");
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  int correct = 0;
                  for (int i = 0; i < ROUNDS; i++) {
                    Map<String, Object> vars = Map.of("x", i, "items", List.of(1, 2, 3));
                    long expected = 2L * i + 3;
                    if (Long.valueOf(expected).equals(evaluator.evaluate(feel, vars))
                        && Long.valueOf(expected).equals(evaluator.evaluate(juel, vars))) {
                      correct++;
                    }
                  }
                  return correct;
                }));
      }
      start.countDown();
      for (Future<Integer> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(ROUNDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldStayCorrectWhenCacheBoundIsExceeded() {
    StandardExpressionEvaluator evaluator = new StandardExpressionEvaluator(4);
    for (int i = 0; i < 20; i++) {
      assertThat(evaluator.evaluate(Expression.feel(i + " + 1"), Map.of())).isEqualTo(i + 1L);
      assertThat(evaluator.evaluate(Expression.of("${" + i + " + 1}"), Map.of())).isEqualTo(i + 1L);
    }
  }
}
