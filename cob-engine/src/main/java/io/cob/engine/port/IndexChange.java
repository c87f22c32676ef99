package io.cob.engine.port;

import io.cob.engine.port.StoreRows.BufferedMessage;
import io.cob.engine.port.StoreRows.IncidentRow;
import io.cob.engine.port.StoreRows.JobRow;
import io.cob.engine.port.StoreRows.OutboxRow;
import io.cob.engine.port.StoreRows.SubscriptionRow;
import io.cob.engine.port.StoreRows.TimerRow;
import io.cob.engine.port.StoreRows.UserTaskRow;

/**
 * A change to one of the store's index rows, written in the same transaction as the events that
 * caused it. A {@code Put} inserts or replaces the row with the same key; a {@code Remove} of a
 * missing row is not an error.
 */
public sealed interface IndexChange {
  record PutJob(JobRow job) implements IndexChange {}

  record RemoveJob(String key) implements IndexChange {}

  record PutTimer(TimerRow timer) implements IndexChange {}

  record RemoveTimer(String key) implements IndexChange {}

  record PutSubscription(SubscriptionRow subscription) implements IndexChange {}

  record RemoveSubscription(String key) implements IndexChange {}

  record PutUserTask(UserTaskRow task) implements IndexChange {}

  record RemoveUserTask(String key) implements IndexChange {}

  record PutIncident(IncidentRow incident) implements IndexChange {}

  record RemoveIncident(String key) implements IndexChange {}

  record PutBufferedMessage(BufferedMessage message) implements IndexChange {}

  record RemoveBufferedMessage(String id) implements IndexChange {}

  record PutOutbox(OutboxRow row) implements IndexChange {}

  record RemoveOutbox(String id) implements IndexChange {}
}
