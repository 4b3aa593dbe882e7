-- OCSP responses signed ahead of any request (RFC 5019: one certificate, SHA-1 CertID, no nonce), one per issued
-- certificate, served as they are while their status holds; re-signed from half their validity on (refresh_at) and
-- at once when the status changes. status_read_at is when the status was read (this_update is that, in whole
-- seconds, as RFC 5019 asks): of two signings of one certificate (two instances) the later reading wins.
CREATE TABLE revocation.ocsp_response (
    serial_number character varying(40) NOT NULL,
    issuer character varying(512) NOT NULL,
    revoked boolean NOT NULL,
    response bytea NOT NULL,
    this_update timestamp(6) with time zone NOT NULL,
    refresh_at timestamp(6) with time zone NOT NULL,
    status_read_at timestamp(6) with time zone NOT NULL,
    CONSTRAINT ocsp_response_pkey PRIMARY KEY (serial_number)
);
CREATE INDEX ocsp_response_refresh ON revocation.ocsp_response USING btree (refresh_at);

-- Certificates whose response is missing or out of date (issued, revoked). A mark made again while the pre-signer
-- works gets a new version, so the pre-signer clears only the marks it has read.
CREATE SEQUENCE revocation.ocsp_presign_version;
CREATE TABLE revocation.ocsp_presign_due (
    serial_number character varying(40) NOT NULL,
    version bigint NOT NULL DEFAULT nextval('revocation.ocsp_presign_version'),
    CONSTRAINT ocsp_presign_due_pkey PRIMARY KEY (serial_number)
);
CREATE INDEX ocsp_presign_due_version ON revocation.ocsp_presign_due USING btree (version);

CREATE FUNCTION revocation.mark_ocsp_presign_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO revocation.ocsp_presign_due (serial_number)
        SELECT DISTINCT serial_number FROM changed
        ON CONFLICT (serial_number) DO UPDATE SET version = nextval('revocation.ocsp_presign_version');
    RETURN NULL;
END
$$;
-- One statement per bulk chunk, not a trigger call per row.
CREATE TRIGGER issued_certificate_presign AFTER INSERT ON revocation.issued_certificate
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION revocation.mark_ocsp_presign_due();
CREATE TRIGGER revoked_certificate_presign AFTER INSERT ON revocation.revoked_certificate
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION revocation.mark_ocsp_presign_due();

-- Certificates recorded before responses were pre-signed.
INSERT INTO revocation.ocsp_presign_due (serial_number) SELECT serial_number FROM revocation.issued_certificate;
