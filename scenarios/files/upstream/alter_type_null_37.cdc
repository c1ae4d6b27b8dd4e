# KNOWN TO FAIL where the defect table (reports/upstream/defects.json) marks it affected
# (Debezium 3.7.1 here; 3.4.1 and 3.6.1 pass): a row written before an ALTER COLUMN … TYPE
# that the connector streams after it arrives with NULL in that column. Found by
# `cdc-harness explore --seed 1 --focus schema` on 3.7.1 (README "Exploring"), shrunk to
# this. Connect's log says `WARN Failed to properly convert data value for '….c0' of type
# text (io.debezium.relational.TableSchemaBuilder)`. Read in the source, not traced: since
# debezium/debezium ed562747d9 (dbz#2232, on main after v3.7.0.Alpha2), the pgoutput
# decoder names each column of a relation message by the type a catalog query returns when
# the message is decoded (the table as it is now: text), not by the type the message carries
# (boolean, as the row was written), so the row's boolean goes to a converter for text, which
# fails and leaves NULL. The connector here has every default of the harness's; the INSERT
# and the ALTER follow each other faster than it streams, as they do on any busy database.
# Not a ctest test (it fails where the defect is): `cdc-harness run --versions all` on this
# file shows which sets have it.
set table = altertype_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, c0 boolean);
GRANT SELECT ON ${table} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};

connector register
{"table.include.list": "public.${table}", "publication.name": "${table}_pub"}

sql
INSERT INTO ${table} VALUES (2, false);

sql
ALTER TABLE ${table} ALTER COLUMN c0 TYPE text USING c0::text;

expect events
c {"id": 2} {"id": 2, "c0": false}
