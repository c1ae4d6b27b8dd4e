# KNOWN TO FAIL where the defect table (reports/upstream/defects.json) marks debezium/dbz#1554
# affected (which version sets: the README's defect table): a worker crash loses the rest of a
# COPY's WAL record. COPY writes many rows to one multi-insert WAL record, so they share one
# LSN; Connect commits an offset at that LSN after some of them, and the restarted task skips
# every event at or below it, the record's unsent rows too. Connect's acks come 500 ms late, so
# Kafka's tail lags what the worker sent and the crash, at the next offset commit, finds a
# record half sent. Found by `cdc-harness explore --focus bulk --faults connect-crash` (README
# "Exploring"); the fault suite's fault.CopyBatches asserts the loss row by row. Not a ctest
# test (it fails where the defect is): `cdc-harness run --versions all` on this file shows
# which sets have it.
set table = copy_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, n int NOT NULL);
GRANT SELECT ON ${table} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};

connector register
{"table.include.list": "public.${table}", "publication.name": "${table}_pub"}

copy table=public.${table}
SELECT i AS id, i % 7 AS n FROM generate_series(1, 20000) i

fault start connect-kafka-latency

connector wait-next-commit

fault start connect-crash

fault heal connect-kafka-latency

fault heal connect-crash

# Every row COPY wrote, as the events rebuild the table: a lost row is in the table only.
expect final-state table=public.${table}
