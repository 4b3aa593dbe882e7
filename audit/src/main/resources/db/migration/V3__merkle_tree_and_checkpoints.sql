-- Every record is also a leaf of an RFC 9162 Merkle tree: leaf_index is its position (0, 1, 2, ... in log
-- order) and leaf_hash SHA-256(0x00 || event type || '\n' || payload). Checkpoints are the tree heads the audit
-- key signed; the role audit runs as may add one and mark it published, never change or remove it.
ALTER TABLE audit.audit_record ADD COLUMN leaf_index bigint;
ALTER TABLE audit.audit_record ADD COLUMN leaf_hash character varying(64);
UPDATE audit.audit_record AS r
SET leaf_index = numbered.position - 1,
    leaf_hash = encode(sha256('\x00'::bytea || convert_to(r.event_type || E'\n' || r.payload, 'UTF8')), 'hex')
FROM (SELECT id, row_number() OVER (ORDER BY id) AS position FROM audit.audit_record) AS numbered
WHERE numbered.id = r.id;
ALTER TABLE audit.audit_record ALTER COLUMN leaf_index SET NOT NULL;
ALTER TABLE audit.audit_record ALTER COLUMN leaf_hash SET NOT NULL;
ALTER TABLE audit.audit_record ADD CONSTRAINT audit_record_leaf_once UNIQUE (leaf_index);

CREATE TABLE audit.checkpoint (
    tree_size bigint NOT NULL,
    root_hash character varying(64) NOT NULL,
    made_at timestamp(6) with time zone NOT NULL,
    body text NOT NULL,
    signature text NOT NULL,
    published_at timestamp(6) with time zone,
    CONSTRAINT checkpoint_pkey PRIMARY KEY (tree_size)
);

REVOKE ALL ON audit.checkpoint FROM PUBLIC;
GRANT SELECT, INSERT ON audit.checkpoint TO "${runtimeRole}";
GRANT UPDATE (published_at) ON audit.checkpoint TO "${runtimeRole}";
