-- The outbox carries station revocations as well as order changes: each row names its event type, and its key
-- (the order id, the station certificate's serial) is the Kafka record key.
ALTER TABLE intake.order_event_outbox RENAME TO event_outbox;
ALTER TABLE intake.event_outbox RENAME CONSTRAINT order_event_outbox_pkey TO event_outbox_pkey;
ALTER INDEX intake.order_event_outbox_unpublished RENAME TO event_outbox_unpublished;
ALTER TABLE intake.event_outbox RENAME COLUMN order_id TO event_key;
ALTER TABLE intake.event_outbox ADD COLUMN event_type character varying(64);
UPDATE intake.event_outbox SET event_type = 'imprint.order.changed';
ALTER TABLE intake.event_outbox ALTER COLUMN event_type SET NOT NULL;
