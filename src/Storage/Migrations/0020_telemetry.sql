-- 0020: the ingress's durable telemetry log and dead-letter store (PostgreSQL mode).

-- One row per accepted message. Partitioned by RANGE on the message timestamp; the ingress creates daily
-- partitions (telemetry_log_pYYYYMMDD, [day, day + 1) in UTC) on demand, and retention drops whole partitions.
-- Samples: all channels concatenated little-endian in one bytea, sample_width 4 (float32) when every value of the
-- message widens back from float32 bit for bit (the binary wire format), otherwise 8 (float64, e.g. JSON).
CREATE TABLE telemetry_log
(
    twin_id          text        NOT NULL,
    seq              bigint      NOT NULL,
    ts               timestamptz NOT NULL,
    sample_rate_hz   double precision,
    wire_format      smallint    NOT NULL,
    channel_names    text[]      NOT NULL,
    channel_units    text[]      NOT NULL,
    channel_scalar   boolean[]   NOT NULL,
    channel_lengths  integer[]   NOT NULL,
    sample_width     smallint    NOT NULL CHECK (sample_width IN (4, 8)),
    samples          bytea       NOT NULL,
    -- A key on a partitioned table must contain the partition key, so this is only unique per timestamp; it also
    -- serves gap reads (twin_id, seq range) in every partition. Uniqueness of (twin_id, seq) is telemetry_seq's job.
    PRIMARY KEY (twin_id, seq, ts)
) PARTITION BY RANGE (ts);

-- Float samples hardly compress, so PostgreSQL's attempt to compress every 4 KiB block is wasted CPU: store them
-- out of line uncompressed. Partitions take this from the parent when they are created.
ALTER TABLE telemetry_log ALTER COLUMN samples SET STORAGE EXTERNAL;

-- The idempotency index: one row per logged (twin_id, seq), not partitioned, so the key is global. An append
-- inserts here first with ON CONFLICT DO NOTHING and writes to telemetry_log only the rows that were new, in the
-- same transaction; a redelivered message (even with another timestamp) is therefore never logged twice.
-- Retention deletes the rows of the dropped days (by ts).
CREATE TABLE telemetry_seq
(
    twin_id text        NOT NULL,
    seq     bigint      NOT NULL,
    ts      timestamptz NOT NULL,
    PRIMARY KEY (twin_id, seq)
);

CREATE INDEX telemetry_seq_ts ON telemetry_seq (ts);

-- Rejected input: reason is the stable code (DeadLetterReasonCodes), payload_prefix at most 1 KiB of the payload.
CREATE TABLE telemetry_dead_letter
(
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at    timestamptz NOT NULL,
    topic          text        NOT NULL,
    twin_id        text,
    reason         text        NOT NULL,
    message        text        NOT NULL,
    payload_prefix bytea       NOT NULL CHECK (octet_length(payload_prefix) <= 1024),
    size           integer     NOT NULL CHECK (size >= 0)
);

-- Newest first, keyset-paged by (received_at, id); the others serve the twin and reason filters.
CREATE INDEX telemetry_dead_letter_newest ON telemetry_dead_letter (received_at DESC, id DESC);
CREATE INDEX telemetry_dead_letter_twin ON telemetry_dead_letter (twin_id, received_at DESC, id DESC);
CREATE INDEX telemetry_dead_letter_reason ON telemetry_dead_letter (reason, received_at DESC, id DESC);
