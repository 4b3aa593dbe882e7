-- The log is append-only for the role audit runs as (${runtimeRole}): it may read and insert, and nothing
-- else. A deployment may create that role beforehand, with a password; here it is created, without one, when it
-- does not exist (enough for loopback trust; elsewhere: ALTER ROLE ... PASSWORD). Audit refuses to start as a
-- role that may update, delete or truncate the log (AppendOnlyLog).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${runtimeRole}') THEN
        CREATE ROLE "${runtimeRole}" LOGIN;
    END IF;
END
$$;

REVOKE ALL ON audit.audit_record FROM PUBLIC;
GRANT USAGE ON SCHEMA audit TO "${runtimeRole}";
GRANT SELECT, INSERT ON audit.audit_record TO "${runtimeRole}";
GRANT USAGE, SELECT ON SEQUENCE audit.audit_record_seq TO "${runtimeRole}";
