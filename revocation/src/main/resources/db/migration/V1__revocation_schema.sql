-- revocation's schema as of the move to migrations: issued serials (what OCSP can answer for), revocations
-- (one per serial, never undone), the CRLs requested and the CRLs published.
CREATE SEQUENCE revocation.crl_number_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;

CREATE TABLE revocation.issued_certificate (
    serial_number character varying(40) NOT NULL,
    issuer character varying(512) NOT NULL,
    device_id character varying(128) NOT NULL,
    request_id character varying(128) NOT NULL,
    issued_at timestamp(6) with time zone NOT NULL,
    CONSTRAINT issued_certificate_pkey PRIMARY KEY (serial_number)
);
CREATE INDEX issued_certificate_device ON revocation.issued_certificate USING btree (device_id);

CREATE TABLE revocation.revoked_certificate (
    serial_number character varying(40) NOT NULL,
    reason character varying(32) NOT NULL,
    request_id character varying(128) NOT NULL,
    revoked_at timestamp(6) with time zone NOT NULL,
    revoked_by character varying(128) NOT NULL,
    CONSTRAINT revoked_certificate_pkey PRIMARY KEY (serial_number),
    CONSTRAINT revoked_certificate_reason_check CHECK (reason IN ('UNSPECIFIED', 'KEY_COMPROMISE', 'CA_COMPROMISE',
        'AFFILIATION_CHANGED', 'SUPERSEDED', 'CESSATION_OF_OPERATION', 'CERTIFICATE_HOLD', 'PRIVILEGE_WITHDRAWN',
        'AA_COMPROMISE'))
);

CREATE TABLE revocation.crl_request (
    crl_number bigint NOT NULL,
    issuer character varying(512),
    entry_count integer NOT NULL,
    request_id character varying(128) NOT NULL,
    requested_at timestamp(6) with time zone NOT NULL,
    CONSTRAINT crl_request_pkey PRIMARY KEY (crl_number)
);

CREATE TABLE revocation.crl (
    crl_number bigint NOT NULL,
    issuer character varying(512) NOT NULL,
    issuer_key_id character varying(64),
    this_update timestamp(6) with time zone NOT NULL,
    next_update timestamp(6) with time zone NOT NULL,
    entry_count integer NOT NULL,
    der bytea NOT NULL,
    CONSTRAINT crl_pkey PRIMARY KEY (crl_number)
);
