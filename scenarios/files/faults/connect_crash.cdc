# The Connect worker killed (SIGKILL) with a transaction in flight and restarted: every
# change arrives, some perhaps twice (at-least-once after a crash), none lost, per-key order
# held. Runs on the fault suite's stack (ctest -L fault), which faults may take down.
set table = crash_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, n int NOT NULL);
GRANT SELECT ON ${table} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};

connector register
{"table.include.list": "public.${table}", "publication.name": "${table}_pub"}

sql
INSERT INTO ${table} SELECT i, 0 FROM generate_series(1, 3) i;

# Once Connect has committed an offset, a restart resumes streaming instead of snapshotting.
expect events
c {"id": 1} {"id": 1, "n": 0}
c {"id": 2} {"id": 2, "n": 0}
c {"id": 3} {"id": 3, "n": 0}

connector wait-committed

sql session=open
BEGIN;
UPDATE ${table} SET n = 1 WHERE id = 1;

fault start connect-crash

sql session=open
UPDATE ${table} SET n = 1 WHERE id = 2;
COMMIT;

fault heal connect-crash

connector wait

expect events allow-duplicates
u {"id": 1} {"id": 1, "n": 1}
u {"id": 2} {"id": 2, "n": 1}

expect final-state table=public.${table}
