-- TwinCluster schema, step 1: the catalogue of statements Orleans' ADO.NET providers run.
--
-- The providers ship no SQL. At start each one runs "SELECT QueryKey, QueryText FROM OrleansQuery" and keeps the
-- statements it knows by key; a missing key fails the silo at start. Only this table's name and its two column names
-- are fixed by Orleans (unquoted, so PostgreSQL folds them to lower case and the providers' query still matches).
-- Everything a statement touches (table names, column names, functions) is ours; what Orleans fixes is each key, the
-- parameter names it binds (@Name) and the result column names it reads (matched case-insensitively by Npgsql).
-- Later scripts add their statements with an upsert, so a corrected statement can ship in a later migration.

CREATE TABLE orleansquery
(
    querykey  varchar(64) NOT NULL,
    querytext text        NOT NULL,
    CONSTRAINT orleansquery_pk PRIMARY KEY (querykey)
);

COMMENT ON TABLE orleansquery IS
    'Statements the Orleans ADO.NET providers load by key at start (TwinCluster migrations 0002-0004).';
