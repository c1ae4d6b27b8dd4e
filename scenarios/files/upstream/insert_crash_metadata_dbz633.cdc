# KNOWN TO FAIL where the defect table (reports/upstream/defects.json) marks debezium/dbz#633
# affected (which version sets: the README's defect table): a task restarted inside a
# transaction numbers its metadata afresh and sends a second BEGIN. The worker is killed while
# one 20,000-row transaction streams (its acks 500 ms late, so that it streams for a while),
# just after Connect committed an offset inside it; the restarted task sends the rest of the
# transaction again from that offset, and each re-sent event must repeat the total_order and
# data_collection_order of its first delivery. Found by `cdc-harness explore --focus bulk
# --faults connect-crash` (README "Exploring"); the fault suite's
# fault.TransactionMetadataUnderFaults asserts it event by event. Not a ctest test (it fails
# where the defect is): `cdc-harness run --versions all` on this file shows which sets have it.
set table = txmeta_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, n int NOT NULL);
GRANT SELECT ON ${table} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};

connector register
{"table.include.list": "public.${table}", "publication.name": "${table}_pub",
 "provide.transaction.metadata": "true"}

sql
INSERT INTO ${table} SELECT i, i % 7 FROM generate_series(1, 20000) i;

fault start connect-kafka-latency

connector wait-next-commit

fault start connect-crash

fault heal connect-kafka-latency

fault heal connect-crash

expect final-state table=public.${table}

expect transactions allow-duplicates
