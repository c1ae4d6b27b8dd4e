# Transactions: a transaction stays open across steps in its own session; nothing of it
# arrives until it commits, and then all of it does, in statement order. A rolled-back
# transaction produces no event. (Ports scenarios/e2e/transactions_test.cpp.)
set table = tx_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, note text);
GRANT SELECT ON ${table} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};

connector register
{"table.include.list": "public.${table}", "publication.name": "${table}_pub"}

sql session=long
BEGIN;
INSERT INTO ${table} VALUES (1, 'first');
UPDATE ${table} SET note = 'second' WHERE id = 1;

# Another session commits while the first transaction is still open: only its row arrives.
sql session=other
INSERT INTO ${table} VALUES (2, 'meanwhile');

expect events
c {"id": 2} {"id": 2, "note": "meanwhile"}

sql session=long
INSERT INTO ${table} VALUES (3, 'third');
COMMIT;

expect events order=total
c {"id": 1} {"id": 1, "note": "first"}
u {"id": 1} {"id": 1, "note": "second"}
c {"id": 3} {"id": 3, "note": "third"}

sql
BEGIN;
INSERT INTO ${table} VALUES (4, 'never');
DELETE FROM ${table} WHERE id = 2;
ROLLBACK;

expect no-events

expect final-state table=public.${table}
