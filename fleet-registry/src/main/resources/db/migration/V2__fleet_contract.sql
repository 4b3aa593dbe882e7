-- The fleet contract: a device is provisioned, shipped or revoked; it keeps its product model, secure-element
-- type and every certificate it was given (current, superseded or revoked); each change raises its version. Events
-- leave through the outbox, written in the transaction of the change (device.added once per device, device.state
-- on every change), and are marked published once the broker has them.
ALTER TABLE fleet.device DROP CONSTRAINT device_status_check;
UPDATE fleet.device SET status = 'PROVISIONED' WHERE status = 'ACTIVE';
ALTER TABLE fleet.device ADD CONSTRAINT device_status_check CHECK (status IN ('PROVISIONED', 'SHIPPED', 'REVOKED'));
ALTER TABLE fleet.device ADD COLUMN product_model character varying(128);
ALTER TABLE fleet.device ADD COLUMN secure_element_type character varying(64);
ALTER TABLE fleet.device ADD COLUMN shipped_at timestamp(6) with time zone;
ALTER TABLE fleet.device ADD COLUMN revoked_at timestamp(6) with time zone;
ALTER TABLE fleet.device ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE fleet.device ADD COLUMN changed_at timestamp(6) with time zone;
UPDATE fleet.device SET changed_at = provisioned_at;
ALTER TABLE fleet.device ALTER COLUMN changed_at SET NOT NULL;
CREATE INDEX device_factory ON fleet.device (factory_id, device_id);
CREATE INDEX device_order ON fleet.device (order_id, device_id);
CREATE INDEX device_status ON fleet.device (status, device_id);

CREATE TABLE fleet.device_certificate (
    serial_number character varying(40) NOT NULL,
    device_id character varying(128) NOT NULL,
    issuer character varying(512) NOT NULL,
    status character varying(16) NOT NULL,
    not_before timestamp(6) with time zone NOT NULL,
    request_id character varying(128) NOT NULL,
    CONSTRAINT device_certificate_pkey PRIMARY KEY (serial_number),
    CONSTRAINT device_certificate_status_check CHECK (status IN ('CURRENT', 'SUPERSEDED', 'REVOKED'))
);
CREATE INDEX device_certificate_device ON fleet.device_certificate (device_id);
INSERT INTO fleet.device_certificate (serial_number, device_id, issuer, status, not_before, request_id)
SELECT serial_number, device_id, issuer, CASE status WHEN 'REVOKED' THEN 'REVOKED' ELSE 'CURRENT' END,
       provisioned_at, request_id
FROM fleet.device;

-- Devices a shipment scanned, kept even when the device's certificate has not arrived yet.
CREATE TABLE fleet.shipped_device (
    device_id character varying(128) NOT NULL,
    shipment_id character varying(128) NOT NULL,
    shipped_at timestamp(6) with time zone NOT NULL,
    CONSTRAINT shipped_device_pkey PRIMARY KEY (device_id)
);

CREATE SEQUENCE fleet.outbox_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE fleet.outbox (
    id bigint NOT NULL,
    topic character varying(128) NOT NULL,
    event_key character varying(128) NOT NULL,
    payload text NOT NULL,
    created_at timestamp(6) with time zone NOT NULL,
    published_at timestamp(6) with time zone,
    CONSTRAINT outbox_pkey PRIMARY KEY (id)
);
CREATE INDEX outbox_unpublished ON fleet.outbox (id) WHERE published_at IS NULL;
