# A table only SQL's quotes can name: mixed case, in a schema of its own, with a column named
# by a reserved word. Expectations name it as SQL does (table="Schema"."Table"); the harness
# quotes it wherever it builds SQL, and Debezium's topic keeps its case.
set schema = Sales_${run}
set table = Orders_${run}

sql
CREATE SCHEMA "${schema}";
CREATE TABLE "${schema}"."${table}" (id int PRIMARY KEY, "select" text NOT NULL, "Total" numeric(10,2));
GRANT USAGE ON SCHEMA "${schema}" TO ${debezium_user};
GRANT SELECT ON "${schema}"."${table}" TO ${debezium_user};
CREATE PUBLICATION pub_${run} FOR TABLE "${schema}"."${table}";

cleanup
DROP PUBLICATION IF EXISTS pub_${run};
DROP SCHEMA IF EXISTS "${schema}" CASCADE;

connector register
{"table.include.list": "${schema}.${table}", "publication.name": "pub_${run}",
 "decimal.handling.mode": "string"}

sql
INSERT INTO "${schema}"."${table}" VALUES (1, 'a', 1.50), (2, 'b', 2.00);
UPDATE "${schema}"."${table}" SET "select" = 'c', "Total" = 3.25 WHERE id = 1;
DELETE FROM "${schema}"."${table}" WHERE id = 2;

expect events table="${schema}"."${table}"
c {"id": 1} {"id": 1, "select": "a", "Total": "1.50"}
c {"id": 2} {"id": 2, "select": "b", "Total": "2.00"}
u {"id": 1} {"id": 1, "select": "c", "Total": "3.25"}
d {"id": 2}
tombstone {"id": 2}

expect final-state table="${schema}"."${table}"
