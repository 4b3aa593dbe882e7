-- The outbox carries the CA ceremonies uploaded to audit as well as the shipments of uploaded files. A row is a
-- log record to publish: keyed by its leaf index (so rows go out in log order and no two types can collide),
-- naming its event type and Kafka record key (the shipment's order, the sealing CA's serial).
ALTER TABLE audit.shipment_outbox RENAME TO event_outbox;
ALTER TABLE audit.event_outbox DROP CONSTRAINT shipment_outbox_pkey;
DROP INDEX audit.shipment_outbox_unpublished;
ALTER TABLE audit.event_outbox RENAME COLUMN shipment_id TO request_id;
ALTER TABLE audit.event_outbox RENAME COLUMN order_id TO event_key;
ALTER TABLE audit.event_outbox ADD COLUMN event_type character varying(64);
ALTER TABLE audit.event_outbox ADD COLUMN leaf_index bigint;
UPDATE audit.event_outbox AS o
SET event_type = r.event_type, leaf_index = r.leaf_index
FROM audit.audit_record AS r
WHERE r.event_type = 'imprint.shipment.recorded' AND r.request_id = o.request_id;
ALTER TABLE audit.event_outbox ALTER COLUMN event_type SET NOT NULL;
ALTER TABLE audit.event_outbox ALTER COLUMN leaf_index SET NOT NULL;
ALTER TABLE audit.event_outbox ADD CONSTRAINT event_outbox_pkey PRIMARY KEY (leaf_index);
CREATE INDEX event_outbox_unpublished ON audit.event_outbox (leaf_index) WHERE published_at IS NULL;
