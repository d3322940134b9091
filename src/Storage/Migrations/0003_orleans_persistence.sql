-- TwinCluster schema, step 3: grain state for Microsoft.Orleans.Persistence.AdoNet (10.4.2).
--
-- Contract (read from the 10.4.2 provider): a grain's state is identified by service, grain type and grain id (two
-- hashes, the id's two 64-bit halves, the type name and the id's string part). Version is the ETag, as an integer.
-- Each statement answers one row whose first (or named) column is the new version:
--   * write with @GrainStateVersion NULL creates version 1, but only if no row exists yet;
--   * write with a version updates only that version and answers version + 1;
--   * anything that matched no row answers the caller's own version (or NULL), which the provider reports as an
--     InconsistentStateException: this is the optimistic concurrency check.
-- Clear keeps the row with a NULL payload and a new version; delete (DeleteStateOnClear) removes it and answers the
-- removed version + 1.
-- The string part is stored as '' when the id has none, so the primary key can include it; Orleans treats an empty
-- key extension as none, so the two never need telling apart.

CREATE TABLE orleans_grain_state
(
    service_id         text        NOT NULL,
    grain_type_hash    integer     NOT NULL,
    grain_id_hash      integer     NOT NULL,
    grain_id_n0        bigint      NOT NULL,
    grain_id_n1        bigint      NOT NULL,
    grain_type         text        NOT NULL,
    grain_id_extension text        NOT NULL DEFAULT '',
    payload            bytea       NULL,
    version            integer     NOT NULL,
    modified_on        timestamptz NOT NULL DEFAULT now(),
    -- Makes two concurrent first writes of the same grain collide here instead of both inserting.
    CONSTRAINT orleans_grain_state_pk PRIMARY KEY
        (service_id, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, grain_type, grain_id_extension)
);

INSERT INTO orleansquery (querykey, querytext) VALUES

('ReadFromStorageKey', $sql$
SELECT s.payload AS "PayloadBinary",
       s.version AS "Version"
  FROM orleans_grain_state AS s
 WHERE s.service_id = @ServiceId
   AND s.grain_type_hash = @GrainTypeHash
   AND s.grain_id_hash = @GrainIdHash
   AND s.grain_id_n0 = @GrainIdN0
   AND s.grain_id_n1 = @GrainIdN1
   AND s.grain_type = @GrainTypeString
   AND s.grain_id_extension = COALESCE(@GrainIdExtensionString, '')
$sql$),

('WriteToStorageKey', $sql$
WITH replaced AS (
    UPDATE orleans_grain_state AS s
       SET payload = @PayloadBinary,
           version = s.version + 1,
           modified_on = now()
     WHERE @GrainStateVersion IS NOT NULL
       AND s.service_id = @ServiceId
       AND s.grain_type_hash = @GrainTypeHash
       AND s.grain_id_hash = @GrainIdHash
       AND s.grain_id_n0 = @GrainIdN0
       AND s.grain_id_n1 = @GrainIdN1
       AND s.grain_type = @GrainTypeString
       AND s.grain_id_extension = COALESCE(@GrainIdExtensionString, '')
       AND s.version = @GrainStateVersion
    RETURNING s.version
), created AS (
    INSERT INTO orleans_grain_state
        (service_id, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, grain_type, grain_id_extension, payload, version)
    SELECT @ServiceId, @GrainTypeHash, @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeString,
           COALESCE(@GrainIdExtensionString, ''), @PayloadBinary, 1
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT ON CONSTRAINT orleans_grain_state_pk DO NOTHING
    RETURNING version
)
SELECT COALESCE((SELECT version FROM replaced), (SELECT version FROM created), @GrainStateVersion)
       AS "NewGrainStateVersion"
$sql$),

('ClearStorageKey', $sql$
UPDATE orleans_grain_state AS s
   SET payload = NULL,
       version = s.version + 1,
       modified_on = now()
 WHERE s.service_id = @ServiceId
   AND s.grain_type_hash = @GrainTypeHash
   AND s.grain_id_hash = @GrainIdHash
   AND s.grain_id_n0 = @GrainIdN0
   AND s.grain_id_n1 = @GrainIdN1
   AND s.grain_type = @GrainTypeString
   AND s.grain_id_extension = COALESCE(@GrainIdExtensionString, '')
   AND s.version = @GrainStateVersion
RETURNING s.version AS "NewGrainStateVersion"
$sql$),

('DeleteStorageKey', $sql$
DELETE FROM orleans_grain_state AS s
 WHERE s.service_id = @ServiceId
   AND s.grain_type_hash = @GrainTypeHash
   AND s.grain_id_hash = @GrainIdHash
   AND s.grain_id_n0 = @GrainIdN0
   AND s.grain_id_n1 = @GrainIdN1
   AND s.grain_type = @GrainTypeString
   AND s.grain_id_extension = COALESCE(@GrainIdExtensionString, '')
   AND s.version = @GrainStateVersion
RETURNING s.version + 1 AS "NewGrainStateVersion"
$sql$)

ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
