-- Events committed in the transaction of the change they announce: a revocation and its cert.revoked, a CRL
-- request and its crl.sign-requested. OutboxRelay signs and sends them in id order and deletes what the broker
-- acknowledged; a crash before the delete sends a row again, with the same requestId.
CREATE SEQUENCE revocation.outbox_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE revocation.outbox (
    id bigint NOT NULL,
    event_type character varying(64) NOT NULL,
    event_key character varying(512) NOT NULL,
    payload bytea NOT NULL,
    created_at timestamp(6) with time zone NOT NULL,
    CONSTRAINT outbox_pkey PRIMARY KEY (id)
);

-- CAs with a revocation committed since their last CRL request. Marked in the revocation's transaction; the next
-- relay round asks for one CRL per marked CA, however many revocations it covers, and clears the mark in the
-- transaction of that request.
CREATE TABLE revocation.crl_due (
    issuer character varying(512) NOT NULL,
    since timestamp(6) with time zone NOT NULL,
    CONSTRAINT crl_due_pkey PRIMARY KEY (issuer)
);

-- Why, in the operator's words, and the bulk job that revoked it.
ALTER TABLE revocation.revoked_certificate ADD COLUMN comment character varying(512);
ALTER TABLE revocation.revoked_certificate ADD COLUMN job_id character varying(64);
