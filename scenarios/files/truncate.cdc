# TRUNCATE arrives as op t (no key, no row image) when the connector does not skip it.
# (Ports scenarios/e2e/truncate_test.cpp.)
set table = trunc_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, a text);
GRANT SELECT ON ${table} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};

connector register
{"table.include.list": "public.${table}", "publication.name": "${table}_pub",
 "skipped.operations": "none"}

sql
INSERT INTO ${table} VALUES (1, 'doomed');
TRUNCATE ${table};

expect events order=total
c {"id": 1} {"id": 1, "a": "doomed"}
t null after=null source={"table": "${table}"}

# Debezium's own default skips truncates: the insert arrives, the truncate does not.
connector register
{"skipped.operations": "t"}

sql
INSERT INTO ${table} VALUES (2, 'kept');
TRUNCATE ${table};

expect events
c {"id": 2} {"id": 2, "a": "kept"}
