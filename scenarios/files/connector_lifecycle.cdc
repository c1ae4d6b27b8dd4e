# Connector lifecycle: restart, pause/resume and stop/resume between writes lose nothing; a
# graceful restart may re-deliver what was not yet committed, so duplicates are allowed.
# (Ports scenarios/e2e/connector_lifecycle_test.cpp.)
set table = life_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, step text);
GRANT SELECT ON ${table} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};

connector register
{"table.include.list": "public.${table}", "publication.name": "${table}_pub"}

sql
INSERT INTO ${table} VALUES (1, 'before the restart');

# Until Connect has committed an offset, a restart snapshots the table again (reads, not
# creates): wait for one, as a restart in production would find one.
connector wait-committed

connector restart

sql
INSERT INTO ${table} VALUES (2, 'after the restart');

connector wait

expect events allow-duplicates
c {"id": 1} {"id": 1, "step": "before the restart"}
c {"id": 2} {"id": 2, "step": "after the restart"}

connector pause

# Written while paused: it waits in the slot.
sql
INSERT INTO ${table} VALUES (3, 'while paused');

connector resume

expect events allow-duplicates
c {"id": 3} {"id": 3, "step": "while paused"}

connector stop

sql
INSERT INTO ${table} VALUES (4, 'while stopped');

connector resume

connector wait

expect events allow-duplicates
c {"id": 4} {"id": 4, "step": "while stopped"}

expect final-state table=public.${table}
