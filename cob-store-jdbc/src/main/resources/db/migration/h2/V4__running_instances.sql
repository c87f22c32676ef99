-- The running instances by owner cloud (Store.runningInstancesByOwner, counted every few seconds
-- for GET /clouds). H2 has no partial indexes: this one leads with ended_at, so "ended_at IS NULL"
-- is a range of it that holds only the running rows, the owner cloud read from the index too.
CREATE INDEX instances_running ON instances (ended_at, owner_cloud);
