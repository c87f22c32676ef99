-- cob store schema, H2 2.x. The same tables as the PostgreSQL schema; H2 compares strings in
-- Java's String order, has no json type worth using here (JSON is kept as text) and spells
-- arrays VARCHAR ARRAY.
-- No foreign keys from index rows to instances: the engine is the only writer, writes each
-- instance's rows in one transaction, and the checks would cost on the hot path.

-- Serialises deployers (a row lock held for the deploying transaction).
CREATE TABLE store_locks (
  name VARCHAR PRIMARY KEY
);
INSERT INTO store_locks (name) VALUES ('deploy');

CREATE TABLE deployments (
  id          VARCHAR PRIMARY KEY,
  deployed_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

CREATE TABLE resources (
  deployment_id VARCHAR NOT NULL REFERENCES deployments (id),
  name          VARCHAR NOT NULL,
  checksum      VARCHAR NOT NULL,
  xml           CHARACTER VARYING NOT NULL,
  PRIMARY KEY (deployment_id, name)
);

CREATE TABLE process_versions (
  process_id    VARCHAR NOT NULL,
  version       INTEGER NOT NULL,
  name          VARCHAR,
  deployment_id VARCHAR NOT NULL,
  resource_name VARCHAR NOT NULL,
  checksum      VARCHAR NOT NULL,
  deployed_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  PRIMARY KEY (process_id, version),
  FOREIGN KEY (deployment_id, resource_name) REFERENCES resources (deployment_id, name)
);

-- One row per instance: summary columns for queries, the row version for optimistic
-- concurrency, the snapshot (JSON text) for loading without replay.
CREATE TABLE instances (
  id                 VARCHAR PRIMARY KEY,
  process_id         VARCHAR,
  process_version    INTEGER NOT NULL,
  process_key        VARCHAR,
  business_key       VARCHAR,
  state              VARCHAR,
  owner_cloud        VARCHAR,
  epoch              BIGINT NOT NULL,
  parent_instance_id VARCHAR,
  started_at         TIMESTAMP(6) WITH TIME ZONE,
  ended_at           TIMESTAMP(6) WITH TIME ZONE,
  incident_count     INTEGER NOT NULL,
  version            BIGINT NOT NULL,
  snapshot           CHARACTER VARYING
);
CREATE INDEX instances_process ON instances (process_id);
CREATE INDEX instances_business_key ON instances (business_key);
CREATE INDEX instances_parent ON instances (parent_instance_id);
CREATE INDEX instances_state ON instances (state);

CREATE TABLE events (
  instance_id  VARCHAR NOT NULL,
  seq          BIGINT NOT NULL,
  at           TIMESTAMP(6) WITH TIME ZONE,
  type         VARCHAR NOT NULL,
  element_id   VARCHAR,
  element_type VARCHAR,
  payload      CHARACTER VARYING NOT NULL,
  PRIMARY KEY (instance_id, seq)
);

CREATE TABLE jobs (
  id                   VARCHAR PRIMARY KEY,
  instance_id          VARCHAR NOT NULL,
  element_instance_key BIGINT NOT NULL,
  element_id           VARCHAR,
  type                 VARCHAR NOT NULL,
  retries              INTEGER NOT NULL,
  due_at               TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  lock_owner           VARCHAR,
  lock_expires_at      TIMESTAMP(6) WITH TIME ZONE,
  headers              CHARACTER VARYING,
  cloud                VARCHAR
);
CREATE INDEX jobs_due ON jobs (due_at, id);
CREATE INDEX jobs_type_due ON jobs (type, due_at);
CREATE INDEX jobs_instance ON jobs (instance_id);

CREATE TABLE timers (
  id          VARCHAR PRIMARY KEY,
  -- NULL for a timer start event: it belongs to a process version, not to an instance
  instance_id VARCHAR,
  timer_key   BIGINT NOT NULL,
  element_id  VARCHAR,
  due_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  -- the node firing it, so that each due timer is fired by one node at a time
  lock_owner  VARCHAR,
  lock_expires_at TIMESTAMP(6) WITH TIME ZONE
);
CREATE INDEX timers_due ON timers (due_at, id);

CREATE TABLE subscriptions (
  id               VARCHAR PRIMARY KEY,
  instance_id      VARCHAR NOT NULL,
  subscription_key BIGINT NOT NULL,
  element_id       VARCHAR,
  message_name     VARCHAR NOT NULL,
  correlation_key  VARCHAR,
  created_at       TIMESTAMP(6) WITH TIME ZONE
);
CREATE INDEX subscriptions_name_key ON subscriptions (message_name, correlation_key);

CREATE TABLE buffered_messages (
  id              VARCHAR PRIMARY KEY,
  name            VARCHAR NOT NULL,
  correlation_key VARCHAR,
  variables       CHARACTER VARYING,
  published_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  expires_at      TIMESTAMP(6) WITH TIME ZONE,
  -- ids of the processes that took the message already (each takes it once)
  taken_by        CHARACTER VARYING
);
CREATE INDEX buffered_messages_name_key ON buffered_messages (name, correlation_key);
CREATE INDEX buffered_messages_expires ON buffered_messages (expires_at);

CREATE TABLE user_tasks (
  id                   VARCHAR PRIMARY KEY,
  instance_id          VARCHAR NOT NULL,
  task_key             BIGINT NOT NULL,
  element_instance_key BIGINT NOT NULL,
  process_id           VARCHAR,
  element_id           VARCHAR,
  name                 VARCHAR,
  assignee             VARCHAR,
  candidate_groups     VARCHAR ARRAY NOT NULL,
  candidate_users      VARCHAR ARRAY NOT NULL,
  form_key             VARCHAR,
  due_date             TIMESTAMP(6) WITH TIME ZONE,
  created_at           TIMESTAMP(6) WITH TIME ZONE
);
CREATE INDEX user_tasks_instance ON user_tasks (instance_id);
CREATE INDEX user_tasks_process ON user_tasks (process_id);
CREATE INDEX user_tasks_assignee ON user_tasks (assignee);

CREATE TABLE incidents (
  id                   VARCHAR PRIMARY KEY,
  instance_id          VARCHAR NOT NULL,
  incident_key         BIGINT NOT NULL,
  element_instance_key BIGINT NOT NULL,
  element_id           VARCHAR,
  job_key              VARCHAR,
  kind                 VARCHAR,
  message              CHARACTER VARYING,
  created_at           TIMESTAMP(6) WITH TIME ZONE
);
CREATE INDEX incidents_instance ON incidents (instance_id);

CREATE TABLE outbox (
  id                 VARCHAR PRIMARY KEY,
  created_at         TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  target_instance_id VARCHAR,
  command            CHARACTER VARYING
);
CREATE INDEX outbox_created ON outbox (created_at, id);
