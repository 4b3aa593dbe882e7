-- audit's schema as of the move to migrations. The log is a hash chain: each record's hash covers the
-- previous one; an event is logged once (event type + request id), and no two records share a hash.
CREATE SEQUENCE audit.audit_record_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;

CREATE TABLE audit.audit_record (
    id bigint NOT NULL,
    event_type character varying(64) NOT NULL,
    request_id character varying(128) NOT NULL,
    device_id character varying(128),
    serial_number character varying(40),
    factory_id character varying(128),
    station_id character varying(128),
    order_id character varying(128),
    reason character varying(64),
    occurred_at timestamp(6) with time zone NOT NULL,
    recorded_at timestamp(6) with time zone NOT NULL,
    payload text NOT NULL,
    previous_hash character varying(64) NOT NULL,
    hash character varying(64) NOT NULL,
    CONSTRAINT audit_record_pkey PRIMARY KEY (id),
    CONSTRAINT audit_record_event_once UNIQUE (event_type, request_id),
    CONSTRAINT audit_record_hash_unique UNIQUE (hash)
);
CREATE INDEX audit_record_device ON audit.audit_record USING btree (device_id);
CREATE INDEX audit_record_serial ON audit.audit_record USING btree (serial_number);
