# Filtering: a table outside table.include.list produces no event on any topic, while the
# included one streams. (Ports scenarios/e2e/filtering_test.cpp.)
set table = kept_${run}
set other = left_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, v text);
CREATE TABLE ${other} (id int PRIMARY KEY, v text);
GRANT SELECT ON ${table}, ${other} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table}, ${other};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};
DROP TABLE IF EXISTS ${other};

connector register
{"table.include.list": "public.${table}", "publication.name": "${table}_pub"}

sql
INSERT INTO ${other} VALUES (1, 'not captured');
INSERT INTO ${table} VALUES (1, 'captured');
UPDATE ${other} SET v = 'still not' WHERE id = 1;

expect events
c {"id": 1} {"id": 1, "v": "captured"}

expect no-events table=public.${other}
