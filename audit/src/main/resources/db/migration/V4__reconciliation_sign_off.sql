-- A signed-off reconciliation: the document exactly as the audit key signed it (JSON: the report, who signed it
-- off and when, and the checkpoint covering every record it was computed from) and the detached CMS signature,
-- base64 DER. Like the log, kept as written: the role audit runs as may add one, never change or remove it.
CREATE SEQUENCE audit.sign_off_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;

CREATE TABLE audit.sign_off (
    id bigint NOT NULL,
    factory_id character varying(128),
    order_id character varying(128),
    period_from timestamp(6) with time zone,
    period_to timestamp(6) with time zone,
    signed_off_by character varying(128) NOT NULL,
    signed_off_at timestamp(6) with time zone NOT NULL,
    tree_size bigint NOT NULL,
    reconciled boolean NOT NULL,
    document text NOT NULL,
    signature text NOT NULL,
    CONSTRAINT sign_off_pkey PRIMARY KEY (id)
);

REVOKE ALL ON audit.sign_off FROM PUBLIC;
GRANT SELECT, INSERT ON audit.sign_off TO "${runtimeRole}";
GRANT USAGE, SELECT ON SEQUENCE audit.sign_off_seq TO "${runtimeRole}";
