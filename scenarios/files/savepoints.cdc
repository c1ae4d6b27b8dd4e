# Savepoints: changes rolled back to a savepoint never appear; the rest of the transaction
# does. (Ports scenarios/e2e/savepoints_test.cpp.)
set table = sp_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, note text);
GRANT SELECT ON ${table} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};

connector register
{"table.include.list": "public.${table}", "publication.name": "${table}_pub"}

sql
BEGIN;
INSERT INTO ${table} VALUES (1, 'kept');
SAVEPOINT s;
INSERT INTO ${table} VALUES (2, 'undone');
UPDATE ${table} SET note = 'undone too' WHERE id = 1;
ROLLBACK TO SAVEPOINT s;
INSERT INTO ${table} VALUES (3, 'after the savepoint');
COMMIT;

expect events order=total
c {"id": 1} {"id": 1, "note": "kept"}
c {"id": 3} {"id": 3, "note": "after the savepoint"}
