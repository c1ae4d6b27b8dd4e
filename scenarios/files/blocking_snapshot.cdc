# A blocking snapshot, asked for through the signal table on a streaming connector: streaming
# pauses while the table is read again, and resumes with nothing lost. Every row arrives as a
# read; writes made during the snapshot arrive after it; the final state equals the table.
set table = blk_${run}
set signals = blk_signals_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, v int NOT NULL);
INSERT INTO ${table} SELECT i, 0 FROM generate_series(1, 500) i;
CREATE TABLE ${signals} (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048));
GRANT SELECT ON ${table} TO ${debezium_user};
GRANT SELECT, INSERT, UPDATE, DELETE ON ${signals} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table}, ${signals};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};
DROP TABLE IF EXISTS ${signals};

connector register
{"table.include.list": "public.${table},public.${signals}", "publication.name": "${table}_pub",
 "snapshot.mode": "no_data", "signal.data.collection": "public.${signals}",
 "notification.enabled.channels": "sink", "notification.sink.topic.name": "${topic_prefix}.notifications"}

sql
UPDATE ${table} SET v = 1 WHERE id = 1;

expect events table=public.${table}
u {"id": 1} {"id": 1, "v": 1}

signal execute-snapshot
{"data-collections": ["public.${table}"], "type": "blocking"}

sql
UPDATE ${table} SET v = 2 WHERE id <= 3;
DELETE FROM ${table} WHERE id = 500;

wait notification type=COMPLETED timeout=120s

expect final-state table=public.${table}
