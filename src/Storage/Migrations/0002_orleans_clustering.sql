-- TwinCluster schema, step 2: cluster membership for Microsoft.Orleans.Clustering.AdoNet (10.4.2).
--
-- Contract (read from the 10.4.2 provider): one version row per cluster (DeploymentId = ClusterId) acts as the
-- membership table's ETag. Writes that change membership (insert, update) succeed only when the caller's @Version is
-- the current one, and then advance it; they answer a single column that is > 0 on success and 0 on a lost race,
-- with nothing changed. Heartbeats (UpdateIAmAlivetimeKey) change no version. Reads return the version row even when
-- no silo row matches (a left join), because the provider reads the table version from the first row.
-- Result column names are what the provider reads (DeploymentId, Address, Port, ..., Version).
-- SiloStatus values used here: 3 = Active, 6 = Dead.

CREATE TABLE orleans_membership_version
(
    deployment_id text        NOT NULL,
    version       integer     NOT NULL DEFAULT 0,
    changed_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleans_membership_version_pk PRIMARY KEY (deployment_id)
);

CREATE TABLE orleans_membership
(
    deployment_id   text        NOT NULL,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL DEFAULT 0,
    -- "silo,time|silo,time" as formatted by the provider; NULL when nobody suspects the silo.
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    CONSTRAINT orleans_membership_pk PRIMARY KEY (deployment_id, address, port, generation),
    -- Deleting a cluster's version row removes its silos with it (DeleteMembershipTableEntriesKey).
    CONSTRAINT orleans_membership_version_fk FOREIGN KEY (deployment_id)
        REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE
);

INSERT INTO orleansquery (querykey, querytext) VALUES

-- Creates the cluster's version row once; > 0 only for the caller that created it.
('InsertMembershipVersionKey', $sql$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id)
    VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING deployment_id
)
SELECT count(*)::integer AS "Inserted" FROM created
$sql$),

-- Adds a silo row and advances the table version in one statement. The version row is claimed first: its row lock
-- orders concurrent writers, and a writer holding a stale @Version (or racing for an existing silo row) claims
-- nothing, so nothing is inserted and the answer is 0.
('InsertMembershipKey', $sql$
WITH claimed AS (
    UPDATE orleans_membership_version AS v
       SET version = v.version + 1,
           changed_at = now()
     WHERE v.deployment_id = @DeploymentId
       AND v.version = @Version
       AND NOT EXISTS (
           SELECT 1
             FROM orleans_membership AS m
            WHERE m.deployment_id = @DeploymentId
              AND m.address = @Address
              AND m.port = @Port
              AND m.generation = @Generation)
    RETURNING v.deployment_id
), added AS (
    INSERT INTO orleans_membership
        (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
    SELECT c.deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
      FROM claimed AS c
    RETURNING 1
)
SELECT count(*)::integer AS "Applied" FROM added
$sql$),

-- Changes a silo's status and suspicions under the same optimistic rule as the insert.
('UpdateMembershipKey', $sql$
WITH claimed AS (
    UPDATE orleans_membership_version AS v
       SET version = v.version + 1,
           changed_at = now()
     WHERE v.deployment_id = @DeploymentId
       AND v.version = @Version
       AND EXISTS (
           SELECT 1
             FROM orleans_membership AS m
            WHERE m.deployment_id = @DeploymentId
              AND m.address = @Address
              AND m.port = @Port
              AND m.generation = @Generation)
    RETURNING v.deployment_id
), changed AS (
    UPDATE orleans_membership AS m
       SET status = @Status,
           suspect_times = @SuspectTimes,
           i_am_alive_time = @IAmAliveTime
      FROM claimed AS c
     WHERE m.deployment_id = c.deployment_id
       AND m.address = @Address
       AND m.port = @Port
       AND m.generation = @Generation
    RETURNING 1
)
SELECT count(*)::integer AS "Applied" FROM changed
$sql$),

-- Heartbeat: the provider neither checks the answer nor expects a version change.
('UpdateIAmAlivetimeKey', $sql$
UPDATE orleans_membership
   SET i_am_alive_time = @IAmAliveTime
 WHERE deployment_id = @DeploymentId
   AND address = @Address
   AND port = @Port
   AND generation = @Generation
$sql$),

('MembershipReadRowKey', $sql$
SELECT v.deployment_id   AS "DeploymentId",
       m.address         AS "Address",
       m.port            AS "Port",
       m.generation      AS "Generation",
       m.silo_name       AS "SiloName",
       m.host_name       AS "HostName",
       m.status          AS "Status",
       m.proxy_port      AS "ProxyPort",
       m.suspect_times   AS "SuspectTimes",
       m.start_time      AS "StartTime",
       m.i_am_alive_time AS "IAmAliveTime",
       v.version         AS "Version"
  FROM orleans_membership_version AS v
  LEFT JOIN orleans_membership AS m
         ON m.deployment_id = v.deployment_id
        AND m.address = @Address
        AND m.port = @Port
        AND m.generation = @Generation
 WHERE v.deployment_id = @DeploymentId
$sql$),

('MembershipReadAllKey', $sql$
SELECT v.deployment_id   AS "DeploymentId",
       m.address         AS "Address",
       m.port            AS "Port",
       m.generation      AS "Generation",
       m.silo_name       AS "SiloName",
       m.host_name       AS "HostName",
       m.status          AS "Status",
       m.proxy_port      AS "ProxyPort",
       m.suspect_times   AS "SuspectTimes",
       m.start_time      AS "StartTime",
       m.i_am_alive_time AS "IAmAliveTime",
       v.version         AS "Version"
  FROM orleans_membership_version AS v
  LEFT JOIN orleans_membership AS m
         ON m.deployment_id = v.deployment_id
 WHERE v.deployment_id = @DeploymentId
$sql$),

-- Removes a whole cluster; its silo rows go with the version row (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $sql$
DELETE FROM orleans_membership_version
 WHERE deployment_id = @DeploymentId
$sql$),

-- Gateways clients may use: silos with the requested status (Active) that listen for clients.
('GatewaysQueryKey', $sql$
SELECT address    AS "Address",
       proxy_port AS "ProxyPort",
       generation AS "Generation"
  FROM orleans_membership
 WHERE deployment_id = @DeploymentId
   AND status = @Status
   AND proxy_port > 0
$sql$),

-- Drops rows of silos declared Dead whose last heartbeat is older than the cut-off the provider passes
-- (now minus DefunctSiloExpiration). Rows of live or joining silos are never removed here.
('CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM orleans_membership
 WHERE deployment_id = @DeploymentId
   AND status = 6
   AND i_am_alive_time < @IAmAliveTime
$sql$)

ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
