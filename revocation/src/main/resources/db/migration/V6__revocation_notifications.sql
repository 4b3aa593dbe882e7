-- Every revocation is announced on commit (NOTIFY imprint_revocation_revoked, payload: the serial), so each
-- instance's in-memory OCSP statuses drop the serial within milliseconds, whichever instance revoked it.
CREATE FUNCTION revocation.announce_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('imprint_revocation_revoked', NEW.serial_number);
    RETURN NULL;
END
$$;
CREATE TRIGGER revoked_certificate_announced AFTER INSERT ON revocation.revoked_certificate
    FOR EACH ROW EXECUTE FUNCTION revocation.announce_revocation();
