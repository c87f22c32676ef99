-- cob store schema, PostgreSQL.
-- Ids compare with the "C" collation: byte order, the same as Java's String order for the ids
-- the engine makes, so that paging by id and the order of listings do not depend on the locale
-- the database was created with.
-- No foreign keys from index rows to instances: the engine is the only writer, writes each
-- instance's rows in one transaction, and the checks would cost on the hot path.

-- Serialises deployers (a row lock held for the deploying transaction).
CREATE TABLE store_locks (
  name VARCHAR COLLATE "C" PRIMARY KEY
);
INSERT INTO store_locks (name) VALUES ('deploy');

CREATE TABLE deployments (
  id          VARCHAR COLLATE "C" PRIMARY KEY,
  deployed_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

CREATE TABLE resources (
  deployment_id VARCHAR COLLATE "C" NOT NULL REFERENCES deployments (id),
  name          VARCHAR NOT NULL,
  checksum      VARCHAR NOT NULL,
  xml           TEXT NOT NULL,
  PRIMARY KEY (deployment_id, name)
);

CREATE TABLE process_versions (
  process_id    VARCHAR COLLATE "C" NOT NULL,
  version       INTEGER NOT NULL,
  name          VARCHAR,
  deployment_id VARCHAR COLLATE "C" NOT NULL,
  resource_name VARCHAR NOT NULL,
  checksum      VARCHAR NOT NULL,
  deployed_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  PRIMARY KEY (process_id, version),
  FOREIGN KEY (deployment_id, resource_name) REFERENCES resources (deployment_id, name)
);

-- One row per instance: summary columns for queries, the row version for optimistic
-- concurrency, the snapshot for loading without replay. json (not jsonb) keeps the text as
-- written: key order and number formats survive.
CREATE TABLE instances (
  id                 VARCHAR COLLATE "C" PRIMARY KEY,
  process_id         VARCHAR COLLATE "C",
  process_version    INTEGER NOT NULL,
  process_key        VARCHAR,
  business_key       VARCHAR,
  state              VARCHAR,
  owner_cloud        VARCHAR,
  epoch              BIGINT NOT NULL,
  parent_instance_id VARCHAR COLLATE "C",
  started_at         TIMESTAMP(6) WITH TIME ZONE,
  ended_at           TIMESTAMP(6) WITH TIME ZONE,
  incident_count     INTEGER NOT NULL,
  version            BIGINT NOT NULL,
  snapshot           JSON
);
CREATE INDEX instances_process ON instances (process_id);
CREATE INDEX instances_business_key ON instances (business_key);
CREATE INDEX instances_parent ON instances (parent_instance_id);
CREATE INDEX instances_state ON instances (state);
CREATE INDEX instances_incidents ON instances (id) WHERE incident_count > 0;

CREATE TABLE events (
  instance_id  VARCHAR COLLATE "C" NOT NULL,
  seq          BIGINT NOT NULL,
  at           TIMESTAMP(6) WITH TIME ZONE,
  type         VARCHAR NOT NULL,
  element_id   VARCHAR,
  element_type VARCHAR,
  payload      JSON NOT NULL,
  PRIMARY KEY (instance_id, seq)
);

CREATE TABLE jobs (
  id                   VARCHAR COLLATE "C" PRIMARY KEY,
  instance_id          VARCHAR COLLATE "C" NOT NULL,
  element_instance_key BIGINT NOT NULL,
  element_id           VARCHAR,
  type                 VARCHAR NOT NULL,
  retries              INTEGER NOT NULL,
  due_at               TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  lock_owner           VARCHAR,
  lock_expires_at      TIMESTAMP(6) WITH TIME ZONE,
  headers              JSON,
  cloud                VARCHAR
);
CREATE INDEX jobs_due ON jobs (due_at, id);
CREATE INDEX jobs_type_due ON jobs (type, due_at);
CREATE INDEX jobs_instance ON jobs (instance_id);

CREATE TABLE timers (
  id          VARCHAR COLLATE "C" PRIMARY KEY,
  -- NULL for a timer start event: it belongs to a process version, not to an instance
  instance_id VARCHAR COLLATE "C",
  timer_key   BIGINT NOT NULL,
  element_id  VARCHAR,
  due_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  -- the node firing it, so that each due timer is fired by one node at a time
  lock_owner  VARCHAR,
  lock_expires_at TIMESTAMP(6) WITH TIME ZONE
);
CREATE INDEX timers_due ON timers (due_at, id);

CREATE TABLE subscriptions (
  id               VARCHAR COLLATE "C" PRIMARY KEY,
  instance_id      VARCHAR COLLATE "C" NOT NULL,
  subscription_key BIGINT NOT NULL,
  element_id       VARCHAR,
  message_name     VARCHAR NOT NULL,
  correlation_key  VARCHAR,
  created_at       TIMESTAMP(6) WITH TIME ZONE
);
CREATE INDEX subscriptions_name_key ON subscriptions (message_name, correlation_key);

CREATE TABLE buffered_messages (
  id              VARCHAR COLLATE "C" PRIMARY KEY,
  name            VARCHAR NOT NULL,
  correlation_key VARCHAR,
  variables       JSON,
  published_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  expires_at      TIMESTAMP(6) WITH TIME ZONE,
  -- ids of the processes that took the message already (each takes it once)
  taken_by        JSON
);
CREATE INDEX buffered_messages_name_key ON buffered_messages (name, correlation_key);
CREATE INDEX buffered_messages_expires ON buffered_messages (expires_at);

CREATE TABLE user_tasks (
  id                   VARCHAR COLLATE "C" PRIMARY KEY,
  instance_id          VARCHAR COLLATE "C" NOT NULL,
  task_key             BIGINT NOT NULL,
  element_instance_key BIGINT NOT NULL,
  process_id           VARCHAR,
  element_id           VARCHAR,
  name                 VARCHAR,
  assignee             VARCHAR,
  candidate_groups     VARCHAR[] NOT NULL,
  candidate_users      VARCHAR[] NOT NULL,
  form_key             VARCHAR,
  due_date             TIMESTAMP(6) WITH TIME ZONE,
  created_at           TIMESTAMP(6) WITH TIME ZONE
);
CREATE INDEX user_tasks_instance ON user_tasks (instance_id);
CREATE INDEX user_tasks_process ON user_tasks (process_id);
CREATE INDEX user_tasks_assignee ON user_tasks (assignee);

CREATE TABLE incidents (
  id                   VARCHAR COLLATE "C" PRIMARY KEY,
  instance_id          VARCHAR COLLATE "C" NOT NULL,
  incident_key         BIGINT NOT NULL,
  element_instance_key BIGINT NOT NULL,
  element_id           VARCHAR,
  job_key              VARCHAR,
  kind                 VARCHAR,
  message              TEXT,
  created_at           TIMESTAMP(6) WITH TIME ZONE
);
CREATE INDEX incidents_instance ON incidents (instance_id);

CREATE TABLE outbox (
  id                 VARCHAR COLLATE "C" PRIMARY KEY,
  created_at         TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  target_instance_id VARCHAR COLLATE "C",
  command            JSON
);
CREATE INDEX outbox_created ON outbox (created_at, id);
