# Changing a primary key is a delete and tombstone of the old key, then a create of the new
# one. (Ports scenarios/e2e/primary_key_change_test.cpp.)
set table = pk_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, name text);
GRANT SELECT ON ${table} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};

connector register
{"table.include.list": "public.${table}", "publication.name": "${table}_pub"}

sql
INSERT INTO ${table} VALUES (1, 'ann');
UPDATE ${table} SET id = 100 WHERE id = 1;

expect events order=total
c {"id": 1} {"id": 1, "name": "ann"}
d {"id": 1}
tombstone {"id": 1}
c {"id": 100} {"id": 100, "name": "ann"}

expect final-state table=public.${table}
