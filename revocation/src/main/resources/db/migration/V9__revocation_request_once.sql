-- A revocation's request id names it alone: audit logs each cert.revoked once per request id, so a second revocation
-- under an id already used (an operator's request record reusing one) would be missing from its log. Request ids
-- were random UUIDs until operators' signed requests could choose them; the index makes reuse fail, never pass.
CREATE UNIQUE INDEX revoked_certificate_request_once ON revocation.revoked_certificate (request_id);
