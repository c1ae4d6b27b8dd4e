# The outbox pattern: Debezium's outbox event router (an SMT) turns each insert into an outbox
# table into one record on the aggregate type's topic, keyed by the aggregate id, the payload
# as its value and the event id (and here the event type) as headers; deleting outbox rows,
# as applications do once written, produces nothing.
set outbox = outbox_${run}

sql
CREATE TABLE ${outbox} (id uuid PRIMARY KEY, aggregatetype text NOT NULL,
  aggregateid text NOT NULL, type text NOT NULL, payload jsonb);
GRANT SELECT ON ${outbox} TO ${debezium_user};
CREATE PUBLICATION ${outbox}_pub FOR TABLE ${outbox};

cleanup
DROP PUBLICATION IF EXISTS ${outbox}_pub;
DROP TABLE IF EXISTS ${outbox};

# Routed topics carry the connector's prefix, so the run's cleanup removes them with the rest.
# The router applies to the outbox table's records only (a predicate): the connector also
# captures the harness's fence table, whose rows are no outbox events.
connector register
{"table.include.list": "public.${outbox}", "publication.name": "${outbox}_pub",
 "tombstones.on.delete": "false",
 "transforms": "outbox", "transforms.outbox.type": "io.debezium.transforms.outbox.EventRouter",
 "transforms.outbox.route.topic.replacement": "${topic_prefix}.outbox.$${routedByValue}",
 "transforms.outbox.table.expand.json.payload": "true",
 "transforms.outbox.table.fields.additional.placement": "type:header:eventType",
 "transforms.outbox.predicate": "isOutbox", "predicates": "isOutbox",
 "predicates.isOutbox.type": "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
 "predicates.isOutbox.pattern": ".*\\.public\\.${outbox}"}

sql
BEGIN;
INSERT INTO ${outbox} VALUES ('00000000-0000-0000-0000-000000000001', 'order', 'order-1',
  'OrderCreated', '{"order": 1, "total": 30, "lines": [{"sku": "A", "qty": 2}]}');
INSERT INTO ${outbox} VALUES ('00000000-0000-0000-0000-000000000002', 'customer', 'cust-7',
  'CustomerUpdated', '{"customer": 7, "city": "Oslo"}');
INSERT INTO ${outbox} VALUES ('00000000-0000-0000-0000-000000000003', 'order', 'order-1',
  'OrderPaid', '{"order": 1, "paid": true}');
COMMIT;
DELETE FROM ${outbox};

expect records topic=${topic_prefix}.outbox.order order=total
"order-1" {"order": 1, "total": 30, "lines": [{"sku": "A", "qty": 2}]} headers={"id": "00000000-0000-0000-0000-000000000001", "eventType": "OrderCreated"}
"order-1" {"order": 1, "paid": true} headers={"id": "00000000-0000-0000-0000-000000000003", "eventType": "OrderPaid"}

expect records topic=${topic_prefix}.outbox.customer
"cust-7" {"customer": 7, "city": "Oslo"} headers={"id": "00000000-0000-0000-0000-000000000002", "eventType": "CustomerUpdated"}

# The outbox table's own topic gets nothing: the router routes creates and drops deletes.
expect no-events table=public.${outbox}
