# Signals through Kafka: an execute-snapshot record on the connector's signal topic (keyed by
# its topic.prefix) starts an incremental snapshot as a signal-table row would. The signal
# table stays for the snapshot's watermarks.
set table = ks_${run}
set signals = ks_signals_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, v text);
INSERT INTO ${table} SELECT i, 'row ' || i FROM generate_series(1, 300) i;
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
 "signal.enabled.channels": "source,kafka", "signal.kafka.topic": "${topic_prefix}.signals",
 "signal.kafka.bootstrap.servers": "${kafka_bootstrap}", "signal.poll.interval.ms": "500",
 "notification.enabled.channels": "sink", "notification.sink.topic.name": "${topic_prefix}.notifications"}

sql
UPDATE ${table} SET v = 'changed' WHERE id IN (1, 150, 300);

signal execute-snapshot channel=kafka
{"data-collections": ["public.${table}"], "type": "incremental"}

wait notification type=COMPLETED aggregate="Incremental Snapshot" timeout=120s

expect final-state table=public.${table}
