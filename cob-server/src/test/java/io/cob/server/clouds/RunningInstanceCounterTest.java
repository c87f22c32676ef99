package io.cob.server.clouds;

import static io.cob.engine.store.StoreSamples.newInstance;
import static io.cob.engine.store.StoreSamples.summary;
import static io.cob.server.support.CloudNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.bus.topology.InstanceCounts;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreException;
import io.cob.engine.store.InMemoryStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The running-instance counts a node puts in its heartbeats, and what a failing store does. */
class RunningInstanceCounterTest {
  private final InMemoryStore memory = new InMemoryStore();
  private final AtomicBoolean storeDown = new AtomicBoolean();
  private final AtomicInteger counts = new AtomicInteger();
  private final Store store =
      (Store)
          Proxy.newProxyInstance(
              Store.class.getClassLoader(),
              new Class<?>[] {Store.class},
              (proxy, method, args) -> {
                if (method.getName().equals("runningInstancesByOwner")) {
                  counts.incrementAndGet();
                }
                if (storeDown.get()) {
                  throw new StoreException("the database is away");
                }
                try {
                  return method.invoke(memory, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });

  @Test
  void shouldCountTheOwnCloudsInstancesAsOwnedAndEveryOtherCloudsAsStandby() {
    assertThat(RunningInstanceCounter.counts("eu", Map.of("eu", 4L, "us", 2L, "ap", 1L)))
        .isEqualTo(new InstanceCounts(4, 3));
    assertThat(RunningInstanceCounter.counts("eu", Map.of("us", 2L)))
        .isEqualTo(new InstanceCounts(0, 2));
    assertThat(RunningInstanceCounter.counts("eu", Map.of())).isEqualTo(new InstanceCounts(0, 0));
  }

  @Test
  void shouldCountAgainAndAgainAndKeepTheLastCountsWhileTheStoreFails() {
    memory.commit(
        List.of(
            newInstance("i1", summary("i1", "order", "ACTIVE", "bk-1", "eu", null, 0)),
            newInstance("i2", summary("i2", "order", "ACTIVE", "bk-2", "us", null, 0)),
            newInstance("i3", summary("i3", "order", "COMPLETED", "bk-3", "eu", null, 0))));
    List<InstanceCounts> reported = new CopyOnWriteArrayList<>();

    try (RunningInstanceCounter counter =
        RunningInstanceCounter.start(store, "eu", reported::add, Duration.ofMillis(10), "n-1")) {
      await("counted", () -> new InstanceCounts(1, 1).equals(counter.latest()));
      memory.commit(
          List.of(newInstance("i4", summary("i4", "order", "ACTIVE", "bk-4", "eu", null, 0))));
      await("counted again", () -> new InstanceCounts(2, 1).equals(counter.latest()));

      storeDown.set(true);
      memory.commit(
          List.of(newInstance("i5", summary("i5", "order", "ACTIVE", "bk-5", "eu", null, 0))));
      int tried = counts.get();
      await("two counts failed", () -> counts.get() >= tried + 2);
      assertThat(counter.latest()).as("the last counts stay").isEqualTo(new InstanceCounts(2, 1));
      assertThat(reported).doesNotContain(new InstanceCounts(3, 1));

      storeDown.set(false);
      await(
          "counted once the store is back",
          () -> new InstanceCounts(3, 1).equals(counter.latest()));
    }
    assertThat(reported.getLast()).isEqualTo(new InstanceCounts(3, 1));
  }
}
