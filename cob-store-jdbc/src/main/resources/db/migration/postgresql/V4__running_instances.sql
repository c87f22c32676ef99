-- The running instances by owner cloud (Store.runningInstancesByOwner, counted every few seconds
-- for GET /clouds): a partial index holds only the rows not ended, so counting them reads those
-- (an index-only scan) and never the ended instances, however many are kept.
CREATE INDEX instances_running ON instances (owner_cloud) WHERE ended_at IS NULL;
