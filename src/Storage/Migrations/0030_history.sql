-- 0030: history (PostgreSQL mode). Hot: full-resolution rows, partitioned by day on their signal time. Warm: minute,
-- hour and day rollups computed once per closed day partition. Cold: closed partitions exported to Parquet files,
-- indexed in history_partition, then dropped. Twin changes are kept whole (before and after) in history_change.

-- Twins get a small key, so a hot row carries 4 bytes instead of the id.
CREATE TABLE history_twin
(
    twin_key integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    twin_id  text NOT NULL UNIQUE
);

-- A layout is the list of names of a row's values: the features of a window from one vibration channel (source) or
-- the scalar channels of a telemetry record (source ''). Few layouts exist, so rows store only values.
CREATE TABLE history_layout
(
    layout_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source    text   NOT NULL,
    names     text[] NOT NULL,
    UNIQUE (source, names)
);

-- One row per analysed window or telemetry record. Daily partitions history_point_pYYYYMMDD ([day, day + 1) UTC) are
-- created on demand by the writer. The key makes a replayed window or record a no-op (ON CONFLICT DO NOTHING).
CREATE TABLE history_point
(
    twin_key  integer     NOT NULL,
    layout_id integer     NOT NULL,
    ts        timestamptz NOT NULL,
    vals      real[]      NOT NULL,
    PRIMARY KEY (twin_key, layout_id, ts)
) PARTITION BY RANGE (ts);

-- The life of each day: rolled up (warm rows written in the same transaction), exported (cold file written and
-- indexed), dropped. The cold index is cold_path: queries over a dropped day read that file.
CREATE TABLE history_partition
(
    day          date        NOT NULL PRIMARY KEY,
    rolled_up_at timestamptz,
    hot_rows     bigint,
    exported_at  timestamptz,
    cold_path    text,
    cold_points  bigint,
    cold_bytes   bigint,
    dropped_at   timestamptz
);

-- Warm rollups per resolution (60, 3600, 86400 s): per value of the layout, its count, min, max, sum and last.
CREATE TABLE history_rollup
(
    resolution integer            NOT NULL CHECK (resolution IN (60, 3600, 86400)),
    twin_key   integer            NOT NULL,
    layout_id  integer            NOT NULL,
    bucket     timestamptz        NOT NULL,
    last_ts    timestamptz        NOT NULL,
    n          integer[]          NOT NULL,
    mn         real[]             NOT NULL,
    mx         real[]             NOT NULL,
    sm         double precision[] NOT NULL,
    lst        real[]             NOT NULL,
    PRIMARY KEY (resolution, twin_key, layout_id, bucket)
);

CREATE INDEX history_rollup_bucket ON history_rollup (resolution, bucket);

-- Every accepted change of a twin's properties or relationships, whole states before and after (json, not jsonb:
-- the twin reads back exactly as it was written, key order included). principal stays null until requests carry an
-- authenticated principal.
CREATE TABLE history_change
(
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    twin_id   text        NOT NULL,
    at        timestamptz NOT NULL,
    operation text        NOT NULL,
    principal text,
    before    json,
    after     json
);

CREATE INDEX history_change_twin_at ON history_change (twin_id, at, id);
