package io.cob.engine.store;

import io.cob.engine.port.Store;

/** The in-memory store meets the Store contract. */
class InMemoryStoreTest extends StoreContract {
  @Override
  protected Store newStore() {
    return new InMemoryStore();
  }
}
