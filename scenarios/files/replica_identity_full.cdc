# REPLICA IDENTITY FULL: updates and deletes carry the whole old row as their before image;
# under DEFAULT an update has no before image. (Ports scenarios/e2e/replica_identity_test.cpp.)
set table = rif_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, name text, city text);
ALTER TABLE ${table} REPLICA IDENTITY FULL;
GRANT SELECT ON ${table} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};

connector register
{"table.include.list": "public.${table}", "publication.name": "${table}_pub"}

sql
INSERT INTO ${table} VALUES (1, 'ann', 'Oslo');
UPDATE ${table} SET city = 'Bergen' WHERE id = 1;
DELETE FROM ${table} WHERE id = 1;

expect events
c {"id": 1} {"id": 1, "name": "ann", "city": "Oslo"} before=null
u {"id": 1} {"id": 1, "name": "ann", "city": "Bergen"} before={"id": 1, "name": "ann", "city": "Oslo"}
d {"id": 1} {"id": 1, "name": "ann", "city": "Bergen"}
tombstone {"id": 1}

sql
ALTER TABLE ${table} REPLICA IDENTITY DEFAULT;
INSERT INTO ${table} VALUES (2, 'bo', 'Oslo');
UPDATE ${table} SET city = 'Tromsø' WHERE id = 2;

expect events
c {"id": 2} {"id": 2, "name": "bo", "city": "Oslo"}
u {"id": 2} {"id": 2, "name": "bo", "city": "Tromsø"} before=null
