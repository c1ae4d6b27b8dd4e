# TOAST: under REPLICA IDENTITY DEFAULT an update that leaves a large (out-of-line) value
# untouched sends Debezium's placeholder for it, not the value. (Ports
# scenarios/e2e/toast_test.cpp.)
set table = toast_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, note text, big text);
ALTER TABLE ${table} ALTER COLUMN big SET STORAGE EXTERNAL;
GRANT SELECT ON ${table} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};

connector register
{"table.include.list": "public.${table}", "publication.name": "${table}_pub"}

sql
INSERT INTO ${table} VALUES (1, 'a', repeat('x', 20000));
UPDATE ${table} SET note = 'b' WHERE id = 1;

expect events
c {"id": 1} {"id": 1, "note": "a", "big": {"$regex": "x{20000}"}}
u {"id": 1} {"id": 1, "note": "b", "big": "__debezium_unavailable_value"}
