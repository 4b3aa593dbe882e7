-- Dual control: a bulk job beyond the configured size waits for a second revoker, whose name and time are kept
-- beside the requester's; a waiting job may be rejected instead.
ALTER TABLE revocation.revocation_job ADD COLUMN approved_by character varying(128);
ALTER TABLE revocation.revocation_job ADD COLUMN approved_at timestamp(6) with time zone;
ALTER TABLE revocation.revocation_job DROP CONSTRAINT revocation_job_status_check;
ALTER TABLE revocation.revocation_job ALTER COLUMN status TYPE character varying(24);
ALTER TABLE revocation.revocation_job ADD CONSTRAINT revocation_job_status_check
    CHECK (status IN ('AWAITING_APPROVAL', 'RUNNING', 'DONE', 'REJECTED'));
ALTER TABLE revocation.revocation_job ADD CONSTRAINT revocation_job_second_operator
    CHECK (approved_by IS NULL OR approved_by <> requested_by);
