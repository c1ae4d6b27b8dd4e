# The initial snapshot: rows that existed before the connector started arrive as reads (op r,
# source.snapshot set), then changes stream. (Ports scenarios/e2e/snapshot_test.cpp.)
set table = snap_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, name text);
GRANT SELECT ON ${table} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table};
INSERT INTO ${table} VALUES (1, 'old'), (2, 'older');

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};

connector register
{"table.include.list": "public.${table}", "publication.name": "${table}_pub",
 "snapshot.mode": "initial"}

sql
INSERT INTO ${table} VALUES (3, 'new');

expect events
r {"id": 1} {"id": 1, "name": "old"} source={"snapshot": {"$regex": "first|true|last"}}
r {"id": 2} {"id": 2, "name": "older"} source={"snapshot": {"$regex": "true|last"}}
c {"id": 3} {"id": 3, "name": "new"} source={"snapshot": "false"}

expect final-state table=public.${table}
