-- What a bulk revocation selects by: the order, factory and station cert.issued named. Certificates recorded before
-- this migration have none (a job by order, factory or station leaves them out; revoke them by issuer or serial).
ALTER TABLE revocation.issued_certificate ADD COLUMN factory_id character varying(128);
ALTER TABLE revocation.issued_certificate ADD COLUMN station_id character varying(128);
ALTER TABLE revocation.issued_certificate ADD COLUMN order_id character varying(128);
CREATE INDEX issued_certificate_order ON revocation.issued_certificate USING btree (order_id);
CREATE INDEX issued_certificate_factory ON revocation.issued_certificate USING btree (factory_id, issued_at);
CREATE INDEX issued_certificate_station ON revocation.issued_certificate USING btree (station_id);
CREATE INDEX issued_certificate_issuer ON revocation.issued_certificate USING btree (issuer);
CREATE INDEX revoked_certificate_job ON revocation.revoked_certificate USING btree (job_id);

-- A bulk revocation: what it selects (JSON), why, on whose word, and how far it got. Its revocations carry its id.
CREATE TABLE revocation.revocation_job (
    id character varying(36) NOT NULL,
    selector text NOT NULL,
    reason character varying(32) NOT NULL,
    comment character varying(512),
    requested_by character varying(128) NOT NULL,
    created_at timestamp(6) with time zone NOT NULL,
    status character varying(16) NOT NULL,
    selected integer NOT NULL,
    revoked integer NOT NULL,
    finished_at timestamp(6) with time zone,
    CONSTRAINT revocation_job_pkey PRIMARY KEY (id),
    CONSTRAINT revocation_job_status_check CHECK (status IN ('RUNNING', 'DONE'))
);

-- The serials of a job that revokes an uploaded list.
CREATE TABLE revocation.revocation_job_serial (
    job_id character varying(36) NOT NULL,
    serial_number character varying(40) NOT NULL,
    CONSTRAINT revocation_job_serial_pkey PRIMARY KEY (job_id, serial_number)
);
