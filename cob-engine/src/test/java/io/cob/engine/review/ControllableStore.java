package io.cob.engine.review;

import io.cob.engine.port.InstanceCommit;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreException;
import io.cob.engine.store.InMemoryStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * An {@link InMemoryStore} behind a proxy that lets a test fail one commit (a transient database
 * error) or hold a commit until released (so that the writer queues up a batch).
 */
final class ControllableStore {
  private final InMemoryStore delegate = new InMemoryStore();
  private final AtomicReference<Predicate<List<InstanceCommit>>> failOnce = new AtomicReference<>();
  private final AtomicReference<Predicate<List<InstanceCommit>>> holdOnce = new AtomicReference<>();
  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  /** The next commit matching {@code p} throws a {@link StoreException} and writes nothing. */
  void failNextCommitWhere(Predicate<List<InstanceCommit>> p) {
    failOnce.set(p);
  }

  /** The next commit matching {@code p} waits until {@link #release()}. */
  void holdNextCommitWhere(Predicate<List<InstanceCommit>> p) {
    holdOnce.set(p);
  }

  void awaitHeld() throws InterruptedException {
    if (!held.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("no commit was held");
    }
  }

  void release() {
    release.countDown();
  }

  @SuppressWarnings("unchecked")
  Store store() {
    return (Store)
        Proxy.newProxyInstance(
            Store.class.getClassLoader(),
            new Class<?>[] {Store.class},
            (proxy, method, args) -> {
              if (method.getName().equals("commit")) {
                List<InstanceCommit> batch = (List<InstanceCommit>) args[0];
                Predicate<List<InstanceCommit>> f = failOnce.get();
                if (f != null && f.test(batch) && failOnce.compareAndSet(f, null)) {
                  throw new StoreException("simulated transient failure of the database");
                }
                Predicate<List<InstanceCommit>> h = holdOnce.get();
                if (h != null && h.test(batch) && holdOnce.compareAndSet(h, null)) {
                  held.countDown();
                  release.await(10, TimeUnit.SECONDS);
                }
              }
              try {
                return method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  static Predicate<List<InstanceCommit>> createsInstanceOf(String processId) {
    return batch ->
        batch.stream()
            .anyMatch(c -> c.expectedVersion() == 0 && c.summary().processId().equals(processId));
  }

  static Predicate<List<InstanceCommit>> hasEvent(Class<?> eventType) {
    return batch ->
        batch.stream()
            .flatMap(c -> c.events().stream())
            .anyMatch(r -> eventType.isInstance(r.event()));
  }
}
