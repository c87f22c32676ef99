-- Bus messages received, by message id: a message delivered again is recognised and applied once.
CREATE TABLE inbox (
  message_id  VARCHAR COLLATE "C" PRIMARY KEY,
  received_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

CREATE INDEX inbox_received_at ON inbox (received_at);
