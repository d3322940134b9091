-- TwinCluster schema: the twin query index, written through by the index shard grains before a twin write is
-- acknowledged, and read back whole by a shard when it activates. One row per twin; shard = hash of the id.

CREATE TABLE twincluster_twin_index
(
    twin_id    text    NOT NULL,
    shard      integer NOT NULL,
    model_id   text    NOT NULL,
    properties jsonb   NOT NULL,
    parent_id  text    NULL,
    CONSTRAINT twincluster_twin_index_pk PRIMARY KEY (twin_id)
);

CREATE INDEX twincluster_twin_index_by_shard ON twincluster_twin_index (shard);
