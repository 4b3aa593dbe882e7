-- Shipments uploaded as a warehouse file are logged and, in the same transaction, written here; they are then
-- sent to imprint.shipment.recorded.v1 (so fleet-registry marks the devices shipped, as for the ERP's events)
-- and marked published once the broker has them. A crash in between sends one again under the same shipment
-- id, which audit and fleet-registry take as the same shipment. The role audit runs as may add a row and mark it
-- published, nothing else.
CREATE TABLE audit.shipment_outbox (
    shipment_id character varying(128) NOT NULL,
    order_id character varying(128) NOT NULL,
    payload text NOT NULL,
    created_at timestamp(6) with time zone NOT NULL,
    published_at timestamp(6) with time zone,
    CONSTRAINT shipment_outbox_pkey PRIMARY KEY (shipment_id)
);
CREATE INDEX shipment_outbox_unpublished ON audit.shipment_outbox (created_at) WHERE published_at IS NULL;

REVOKE ALL ON audit.shipment_outbox FROM PUBLIC;
GRANT SELECT, INSERT ON audit.shipment_outbox TO "${runtimeRole}";
GRANT UPDATE (published_at) ON audit.shipment_outbox TO "${runtimeRole}";
