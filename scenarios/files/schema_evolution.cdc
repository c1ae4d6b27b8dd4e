# Schema evolution: events follow each ALTER TABLE (a new column appears in the row image, a
# dropped one leaves it, an altered one changes its type), and nothing is lost across it.
# An explicit NULL where the column has a DEFAULT arrives as the DEFAULT: Debezium puts the
# column's DEFAULT in the field's schema and Kafka's JsonConverter sends that for a null
# (replace.null.with.default, true unless set; see upstream/null_becomes_default.cdc and the
# README, "Exploring"). The final state is compared as a subset, without `b`
# (that NULL) and `n` (rows no event carried since the ALTER TYPE): events from before the
# DROP COLUMN still carry `a`. (Ports scenarios/e2e/schema_evolution_test.cpp.)
set table = evo_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, a text, n int);
GRANT SELECT ON ${table} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};

connector register
{"table.include.list": "public.${table}", "publication.name": "${table}_pub"}

sql
INSERT INTO ${table} VALUES (1, 'before', 5);
ALTER TABLE ${table} ADD COLUMN b int DEFAULT 7;
INSERT INTO ${table} VALUES (2, 'added', 1, 8);
INSERT INTO ${table} VALUES (4, 'null', 2, NULL);
UPDATE ${table} SET a = 'touched' WHERE id = 1;
ALTER TABLE ${table} DROP COLUMN a;
ALTER TABLE ${table} ALTER COLUMN n TYPE text USING n::text;
INSERT INTO ${table} VALUES (3, '9', 9);
UPDATE ${table} SET n = 'six' WHERE id = 2;

expect events order=total
c {"id": 1} {"id": 1, "a": "before", "n": 5}
c {"id": 2} {"id": 2, "a": "added", "n": 1, "b": 8}
c {"id": 4} {"id": 4, "a": "null", "n": 2, "b": 7}
u {"id": 1} {"id": 1, "a": "touched", "n": 5, "b": 7}
c {"id": 3} {"id": 3, "n": "9", "b": 9}
u {"id": 2} {"id": 2, "n": "six", "b": 8}

expect final-state table=public.${table} match=subset ignore=b,n
