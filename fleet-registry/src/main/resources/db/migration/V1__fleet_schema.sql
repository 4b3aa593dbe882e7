-- fleet-registry's schema as of the move to migrations: one row per device, its current certificate
-- (serial unique), and the serials known revoked, so a replayed issuance never re-activates one.
CREATE TABLE fleet.device (
    device_id character varying(128) NOT NULL,
    serial_number character varying(40) NOT NULL,
    issuer character varying(512) NOT NULL,
    factory_id character varying(128) NOT NULL,
    station_id character varying(128) NOT NULL,
    order_id character varying(128) NOT NULL,
    request_id character varying(128) NOT NULL,
    certificate text NOT NULL,
    status character varying(16) NOT NULL,
    provisioned_at timestamp(6) with time zone NOT NULL,
    CONSTRAINT device_pkey PRIMARY KEY (device_id),
    CONSTRAINT device_serial_unique UNIQUE (serial_number),
    CONSTRAINT device_status_check CHECK (status IN ('ACTIVE', 'REVOKED'))
);

CREATE TABLE fleet.revoked_certificate (
    serial_number character varying(40) NOT NULL,
    revoked_at timestamp(6) with time zone NOT NULL,
    CONSTRAINT revoked_certificate_pkey PRIMARY KEY (serial_number)
);
