-- Partitioned CRLs (RFC 5280 5.2.5) and delta CRLs (5.2.4). A certificate's CRL scope is the CRL distribution
-- point its CA wrote into it ('' for none: the whole CA's CRL, without IDP, which lists every revocation of the
-- CA). Certificates recorded before partitioning point at the whole CA's CRL, so they keep scope ''.
ALTER TABLE revocation.issued_certificate ADD COLUMN crl_scope character varying(1024) NOT NULL DEFAULT '';
CREATE INDEX issued_certificate_scope ON revocation.issued_certificate USING btree (issuer, crl_scope);

-- Every scope a CA has issued into: each needs a CRL, even with nothing revoked, since certificates point at it.
CREATE TABLE revocation.crl_scope (
    issuer character varying(512) NOT NULL,
    distribution_point character varying(1024) NOT NULL,
    CONSTRAINT crl_scope_pkey PRIMARY KEY (issuer, distribution_point)
);
INSERT INTO revocation.crl_scope (issuer, distribution_point)
    SELECT DISTINCT issuer, '' FROM revocation.issued_certificate;

-- Marks per scope, no longer per CA.
ALTER TABLE revocation.crl_due ADD COLUMN distribution_point character varying(1024) NOT NULL DEFAULT '';
ALTER TABLE revocation.crl_due DROP CONSTRAINT crl_due_pkey;
ALTER TABLE revocation.crl_due ADD CONSTRAINT crl_due_pkey PRIMARY KEY (issuer, distribution_point);

-- Revocations in commit order as far as CRLs can tell: a CRL request takes its entries under the exclusive CRL
-- lock, which no revocation holds then, so every revocation numbered at or below its revocations_through is on it
-- and a delta over it lists those numbered above.
CREATE SEQUENCE revocation.revocation_seq START WITH 1 INCREMENT BY 1;
ALTER TABLE revocation.revoked_certificate ADD COLUMN seq bigint NOT NULL DEFAULT nextval('revocation.revocation_seq');
ALTER SEQUENCE revocation.revocation_seq OWNED BY revocation.revoked_certificate.seq;

ALTER TABLE revocation.crl_request ADD COLUMN distribution_point character varying(1024) NOT NULL DEFAULT '';
ALTER TABLE revocation.crl_request ADD COLUMN delta_base bigint;
ALTER TABLE revocation.crl_request ADD COLUMN revocations_through bigint NOT NULL DEFAULT 0;
CREATE INDEX crl_request_scope ON revocation.crl_request USING btree (issuer, distribution_point, crl_number);

ALTER TABLE revocation.crl ADD COLUMN distribution_point character varying(1024) NOT NULL DEFAULT '';
ALTER TABLE revocation.crl ADD COLUMN shard integer;
ALTER TABLE revocation.crl ADD COLUMN delta_base bigint;
-- A full CRL that names its delta CRLs (Freshest CRL): revocations in its scope may then go out as deltas.
ALTER TABLE revocation.crl ADD COLUMN has_deltas boolean NOT NULL DEFAULT false;
CREATE INDEX crl_served ON revocation.crl USING btree (issuer_key_id, distribution_point, crl_number);
CREATE INDEX crl_by_shard ON revocation.crl USING btree (issuer_key_id, shard, crl_number);

-- The relay sends CRL requests before the rest of the outbox (a bulk job's cert.revoked backlog).
CREATE INDEX outbox_by_type ON revocation.outbox USING btree (event_type, id);
