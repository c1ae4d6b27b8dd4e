# An incremental snapshot paused, resumed and stopped by signals, each acknowledged by a
# notification; a second snapshot then completes, and the final state equals the table.
set table = prs_${run}
set signals = prs_signals_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, v int NOT NULL);
INSERT INTO ${table} SELECT i, 0 FROM generate_series(1, 20000) i;
CREATE TABLE ${signals} (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048));
GRANT SELECT ON ${table} TO ${debezium_user};
GRANT SELECT, INSERT, UPDATE, DELETE ON ${signals} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table}, ${signals};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};
DROP TABLE IF EXISTS ${signals};

# Small chunks, so the snapshot is still running when the signals come.
connector register
{"table.include.list": "public.${table},public.${signals}", "publication.name": "${table}_pub",
 "snapshot.mode": "no_data", "signal.data.collection": "public.${signals}",
 "incremental.snapshot.chunk.size": "50",
 "notification.enabled.channels": "sink", "notification.sink.topic.name": "${topic_prefix}.notifications"}

signal execute-snapshot
{"data-collections": ["public.${table}"], "type": "incremental"}

wait notification type=STARTED aggregate="Incremental Snapshot"

signal pause-snapshot

wait notification type=PAUSED aggregate="Incremental Snapshot"

sql
UPDATE ${table} SET v = 1 WHERE id % 1000 = 0;

signal resume-snapshot

wait notification type=RESUMED aggregate="Incremental Snapshot"

signal stop-snapshot
{"data-collections": ["public.${table}"], "type": "incremental"}

wait notification type=ABORTED aggregate="Incremental Snapshot"

signal execute-snapshot
{"data-collections": ["public.${table}"], "type": "incremental"}

wait notification type=COMPLETED aggregate="Incremental Snapshot" timeout=180s

expect final-state table=public.${table}
