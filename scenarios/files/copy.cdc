# A bulk load: rows loaded by one COPY FROM STDIN (Postgres writes them as one multi-insert
# WAL record, the rows sharing its LSN) arrive as creates, each once, values as the query gave
# them (NULL, a tab, a backslash, a quote survive COPY's text format); the transaction's
# metadata (BEGIN, END, orders) agrees with its events.
set table = copy_${run}

sql
CREATE TABLE ${table} (id int PRIMARY KEY, note text);
GRANT SELECT ON ${table} TO ${debezium_user};
CREATE PUBLICATION ${table}_pub FOR TABLE ${table};

cleanup
DROP PUBLICATION IF EXISTS ${table}_pub;
DROP TABLE IF EXISTS ${table};

connector register
{"table.include.list": "public.${table}", "publication.name": "${table}_pub",
 "provide.transaction.metadata": "true"}

copy table=public.${table}
SELECT * FROM (VALUES (1, 'plain'), (2, NULL), (3, E'a\ttab'), (4, E'back\\slash'), (5, 'it''s'))
  AS v (id, note)

expect events order=total
c {"id": 1} {"id": 1, "note": "plain"}
c {"id": 2} {"id": 2, "note": null}
c {"id": 3} {"id": 3, "note": "a\ttab"}
c {"id": 4} {"id": 4, "note": "back\\slash"}
c {"id": 5} {"id": 5, "note": "it's"}

expect transactions

expect final-state table=public.${table}
