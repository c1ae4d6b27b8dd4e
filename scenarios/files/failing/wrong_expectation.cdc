# Deliberately wrong (run by ci/scenario-file-check.sh, which expects it to fail): the
# update is expected to say "shipped", while the SQL sets "paid".
set table = orders_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, status text NOT NULL, total numeric(10,2));
GRANT SELECT ON ${table} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};

connector register
{"table.include.list": "public.${table}", "publication.name": "${table}_pub",
 "decimal.handling.mode": "string"}

sql
INSERT INTO ${table} VALUES (1, 'new', 10.50), (2, 'new', 3.00);
UPDATE ${table} SET status = 'paid' WHERE id = 1;
DELETE FROM ${table} WHERE id = 2;

expect events timeout=5s
c {"id": 1} {"id": 1, "status": "new", "total": "10.50"}
c {"id": 2} {"id": 2, "status": "new", "total": "3.00"}
u {"id": 1} {"id": 1, "status": "shipped", "total": "10.50"}
d {"id": 2}
tombstone {"id": 2}

expect final-state table=public.${table}
