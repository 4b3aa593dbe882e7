-- csr-intake's schema as of the move to migrations: every constraint the decisions rely on, written out.
-- The stores' native SQL (persistence/IntakeStore.java) runs against exactly these tables.

-- Every request id that reached the stateful checks, forever: the primary key is the replay defence, the
-- unique serial is "never two certificates for one request".
CREATE TABLE intake.intake_request (
    request_id character varying(128) NOT NULL,
    device_id character varying(128) NOT NULL,
    factory_id character varying(128) NOT NULL,
    station_id character varying(128) NOT NULL,
    order_id character varying(128) NOT NULL,
    source character varying(300) NOT NULL,
    accepted boolean NOT NULL,
    challenged boolean,
    reason character varying(64),
    serial character varying(40),
    decision_event text NOT NULL,
    decided_at timestamp(6) with time zone NOT NULL,
    CONSTRAINT intake_request_pkey PRIMARY KEY (request_id),
    CONSTRAINT intake_request_serial_unique UNIQUE (serial)
);

CREATE TABLE intake.production_order (
    order_id character varying(128) NOT NULL,
    factory_id character varying(128) NOT NULL,
    product_model character varying(128) NOT NULL,
    quantity integer NOT NULL,
    not_before timestamp(6) with time zone NOT NULL,
    not_after timestamp(6) with time zone NOT NULL,
    open boolean NOT NULL,
    closed_at timestamp(6) with time zone,
    created_at timestamp(6) with time zone NOT NULL,
    created_by character varying(128) NOT NULL,
    device_id_first character varying(128),
    device_id_last character varying(128),
    device_id_pattern character varying(512),
    secure_element_types character varying(512) NOT NULL,
    attestation_required boolean NOT NULL,
    allow_reprovisioning boolean NOT NULL,
    ignored_csr_attributes character varying(512),
    issuing_ca character varying(128) NOT NULL,
    profile character varying(128),
    manifest_size integer NOT NULL,
    matter_certification_declaration character varying(8192),
    CONSTRAINT production_order_pkey PRIMARY KEY (order_id)
);

-- One genuine secure element of an order's vendor manifest: <orderId>/<key fingerprint>.
CREATE TABLE intake.manifest_entry (
    entry_id character varying(200) NOT NULL,
    order_id character varying(128) NOT NULL,
    key_sha256 character varying(64) NOT NULL,
    CONSTRAINT manifest_entry_pkey PRIMARY KEY (entry_id)
);

CREATE TABLE intake.provisioned_device (
    device_id character varying(128) NOT NULL,
    order_id character varying(128) NOT NULL,
    request_id character varying(128) NOT NULL,
    accepted_at timestamp(6) with time zone NOT NULL,
    times_provisioned integer NOT NULL,
    CONSTRAINT provisioned_device_pkey PRIMARY KEY (device_id)
);

-- An order's quantity as rows: a request claims one free slot with a conditional UPDATE, so concurrent
-- intake instances can never yield more than the quantity.
CREATE TABLE intake.quota_slot (
    slot_id character varying(160) NOT NULL,
    order_id character varying(128) NOT NULL,
    slot_no integer NOT NULL,
    request_id character varying(128),
    CONSTRAINT quota_slot_pkey PRIMARY KEY (slot_id)
);
CREATE INDEX quota_slot_free ON intake.quota_slot USING btree (order_id, request_id);

-- Token buckets (station and factory), one row each, updated by one conditional statement.
CREATE TABLE intake.rate_bucket (
    bucket character varying(300) NOT NULL,
    tokens double precision NOT NULL,
    refilled_at timestamp(6) with time zone NOT NULL,
    CONSTRAINT rate_bucket_pkey PRIMARY KEY (bucket)
);

CREATE TABLE intake.revoked_station (
    serial_number character varying(40) NOT NULL,
    revoked_at timestamp(6) with time zone NOT NULL,
    revoked_by character varying(128) NOT NULL,
    comment character varying(512),
    CONSTRAINT revoked_station_pkey PRIMARY KEY (serial_number)
);

-- TPM credential-activation challenges: the secret's SHA-256 only, answered once.
CREATE TABLE intake.tpm_challenge (
    challenge_id character varying(128) NOT NULL,
    factory_id character varying(128) NOT NULL,
    station_id character varying(128) NOT NULL,
    device_id character varying(128) NOT NULL,
    ek_sha256 character varying(64) NOT NULL,
    ak_name character varying(200) NOT NULL,
    key_sha256 character varying(64) NOT NULL,
    secret_sha256 character varying(64) NOT NULL,
    issued_at timestamp(6) with time zone NOT NULL,
    expires_at timestamp(6) with time zone NOT NULL,
    answered_by character varying(128),
    CONSTRAINT tpm_challenge_pkey PRIMARY KEY (challenge_id)
);
