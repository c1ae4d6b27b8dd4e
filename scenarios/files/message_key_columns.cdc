# message.key.columns: a column that is not the primary key keys the events. Debezium builds
# the old and the new message key from the rows the WAL carries and compares them
# (RelationalChangeRecordEmitter.emitUpdateRecord, v3.4.1.Final): equal, or no old row, is an
# update; different is a delete (and tombstone) under the old key and a create under the new.
# What the WAL carries is the replica identity's business, so the same statements give other
# events under DEFAULT and FULL. explore's oracle owes these events (case.cpp: message_key).
set plain = accounts_${run}
set full = accounts_full_${run}

sql
CREATE TABLE ${plain} (id int PRIMARY KEY, owner text);
CREATE TABLE ${full} (id int PRIMARY KEY, owner text);
ALTER TABLE ${full} REPLICA IDENTITY FULL;
GRANT SELECT ON ${plain}, ${full} TO ${debezium_user};
CREATE PUBLICATION ${plain}_pub FOR TABLE ${plain}, ${full};

cleanup
DROP PUBLICATION IF EXISTS ${plain}_pub;
DROP TABLE IF EXISTS ${plain}, ${full};

connector register
{"table.include.list": "public.${plain},public.${full}", "publication.name": "${plain}_pub",
 "message.key.columns": "public.${plain}:owner;public.${full}:owner"}

sql
INSERT INTO ${plain} VALUES (1, 'ann');
UPDATE ${plain} SET owner = 'bob' WHERE id = 1;
UPDATE ${plain} SET id = 5 WHERE id = 1;
DELETE FROM ${plain} WHERE id = 5;
INSERT INTO ${full} VALUES (1, 'ann');
UPDATE ${full} SET owner = 'bob' WHERE id = 1;
UPDATE ${full} SET id = 5 WHERE id = 1;
DELETE FROM ${full} WHERE id = 5;

# DEFAULT: an update carries no old row, so it is an update under the new owner; a key
# update's and a delete's old row hold only the primary key, so their old message key is a
# null owner: the key update is a delete of that and a create.
expect events table=public.${plain} order=total
c {"owner": "ann"} {"id": 1, "owner": "ann"}
u {"owner": "bob"} {"id": 1, "owner": "bob"}
d {"owner": null}
tombstone {"owner": null}
c {"owner": "bob"} {"id": 5, "owner": "bob"}
d {"owner": null}
tombstone {"owner": null}

# FULL: the old row is whole. The changed owner is a delete and a create; the key update,
# which keeps the owner, an update.
expect events table=public.${full} order=total
c {"owner": "ann"} {"id": 1, "owner": "ann"}
d {"owner": "ann"} {"id": 1, "owner": "ann"}
tombstone {"owner": "ann"}
c {"owner": "bob"} {"id": 1, "owner": "bob"}
u {"owner": "bob"} {"id": 5, "owner": "bob"} before={"id": 1, "owner": "bob"}
d {"owner": "bob"} {"id": 5, "owner": "bob"}
tombstone {"owner": "bob"}
