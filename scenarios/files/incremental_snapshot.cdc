# An incremental snapshot of a live table while writes continue on the same keys: once
# Debezium notifies COMPLETED, the last event of every key equals the table (a snapshot read
# never overwrites a newer streamed change) and no row is missing, as Debezium's own tests
# judge it. Read-only watermarks (read.only: pg_current_snapshot, nothing written to the
# signal table but the signal itself): with the signal table's watermarks the same run
# sometimes ends stale (scenarios/files/upstream/, README "Scenario files").
set table = inc_${run}
set signals = inc_signals_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, v int NOT NULL, note text);
INSERT INTO ${table} SELECT i, 0, 'before the connector' FROM generate_series(1, 3000) i;
CREATE TABLE ${signals} (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048));
GRANT SELECT ON ${table}, ${signals} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table}, ${signals};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};
DROP TABLE IF EXISTS ${signals};

# No initial snapshot: every row that is not written again must come from the incremental one.
connector register
{"table.include.list": "public.${table},public.${signals}", "publication.name": "${table}_pub",
 "snapshot.mode": "no_data", "read.only": "true", "signal.data.collection": "public.${signals}",
 "incremental.snapshot.chunk.size": "200",
 "notification.enabled.channels": "sink", "notification.sink.topic.name": "${topic_prefix}.notifications"}

signal execute-snapshot
{"data-collections": ["public.${table}"], "type": "incremental"}

# Writes on the same keys while the chunks are read: 100 transactions, one every 10 ms.
sql
DO $$ BEGIN
  FOR i IN 1..100 LOOP
    UPDATE ${table} SET v = v + 1, note = 'during' WHERE id % 100 = i % 100;
    DELETE FROM ${table} WHERE id = 3000 - i;
    INSERT INTO ${table} VALUES (10000 + i, i, 'inserted during');
    COMMIT;
    PERFORM pg_sleep(0.01);
  END LOOP;
END $$;

wait notification type=COMPLETED aggregate="Incremental Snapshot" timeout=120s

expect final-state table=public.${table}
