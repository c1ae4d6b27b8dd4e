set table = orders_${run}                 # ${run}: unique per file run, carries the run id

sql                                       # session "main"; sql session=NAME for others
CREATE TABLE ${table} (id int PRIMARY KEY, status text);
GRANT SELECT ON ${table} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table};

cleanup                                   # runs at the end, pass or fail
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};

connector register                        # body: settings over the base connector
{"table.include.list": "public.${table}", "publication.name": "${table}_pub"}

sql
INSERT INTO ${table} VALUES (1, 'new');
UPDATE ${table} SET status = 'paid' WHERE id = 1;

expect events                             # table=… or topic=… when it is not the one table
c {"id": 1} {"id": 1, "status": "new"}
u {"id": 1} {"id": 1, "status": "paid"}

expect final-state table=public.${table}  # last image per key == SELECT
