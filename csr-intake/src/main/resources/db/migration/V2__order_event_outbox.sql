-- The outbox of production-order changes: a row is written in the transaction that creates or closes the order
-- and sent to imprint.order.changed.v1 afterwards, marked published only once the broker has it. A crash between
-- the two sends it again under the same request id, which audit takes as the same change.
CREATE TABLE intake.order_event_outbox (
    request_id character varying(160) NOT NULL,
    order_id character varying(128) NOT NULL,
    payload text NOT NULL,
    created_at timestamp(6) with time zone NOT NULL,
    published_at timestamp(6) with time zone,
    CONSTRAINT order_event_outbox_pkey PRIMARY KEY (request_id)
);
CREATE INDEX order_event_outbox_unpublished ON intake.order_event_outbox (created_at) WHERE published_at IS NULL;
