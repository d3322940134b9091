-- 0035: which days warm retention has reached. Once some of a day's rollups are deleted, its rollups no longer answer
-- for the whole day, so a trend reads that day from its hot partition or its cold file while either exists, and from
-- what is left of its rollups only when neither does. Set by the maintenance in the statement that deletes them.
ALTER TABLE history_partition ADD COLUMN warm_expired_at timestamptz;
