-- Keys every node of one store must agree on (e.g. the key that signs callback tokens).
CREATE TABLE shared_secrets (
  name       VARCHAR COLLATE "C" PRIMARY KEY,
  secret     VARCHAR NOT NULL,
  created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

-- Binary content passed by reference (claim check). Stored in chunks so that neither writing nor
-- reading a large blob needs it whole in memory.
CREATE TABLE blobs (
  id           VARCHAR COLLATE "C" PRIMARY KEY,
  sha256       CHAR(64) NOT NULL,
  size         BIGINT NOT NULL,
  content_type VARCHAR NOT NULL,
  created_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

CREATE TABLE blob_chunks (
  blob_id VARCHAR COLLATE "C" NOT NULL,
  seq     INTEGER NOT NULL,
  bytes   BYTEA NOT NULL,
  PRIMARY KEY (blob_id, seq)
);
