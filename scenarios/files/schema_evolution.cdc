# Schema evolution: events follow each ALTER TABLE (a new column appears in the row image, a
# dropped one leaves it), and nothing is lost across it. The final state is compared as a
# subset: events from before the DROP COLUMN still carry it. (Ports
# scenarios/e2e/schema_evolution_test.cpp.)
set table = evo_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, a text);
GRANT SELECT ON ${table} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};

connector register
{"table.include.list": "public.${table}", "publication.name": "${table}_pub"}

sql
INSERT INTO ${table} VALUES (1, 'before');
ALTER TABLE ${table} ADD COLUMN b int DEFAULT 7;
INSERT INTO ${table} VALUES (2, 'added', 8);
UPDATE ${table} SET a = 'touched' WHERE id = 1;
ALTER TABLE ${table} DROP COLUMN a;
INSERT INTO ${table} VALUES (3, 9);

expect events order=total
c {"id": 1} {"id": 1, "a": "before"}
c {"id": 2} {"id": 2, "a": "added", "b": 8}
u {"id": 1} {"id": 1, "a": "touched", "b": 7}
c {"id": 3} {"id": 3, "b": 9}

expect final-state table=public.${table} match=subset
