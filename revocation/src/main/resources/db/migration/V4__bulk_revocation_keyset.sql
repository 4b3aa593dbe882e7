-- A bulk revocation walks its selection in serial order, each chunk after the last one's highest serial: the
-- indexes lead with what it selects by and go on with the serial, so a chunk reads its own rows only.
DROP INDEX revocation.issued_certificate_order;
DROP INDEX revocation.issued_certificate_station;
DROP INDEX revocation.issued_certificate_issuer;
CREATE INDEX issued_certificate_order ON revocation.issued_certificate USING btree (order_id, serial_number);
CREATE INDEX issued_certificate_station ON revocation.issued_certificate USING btree (station_id, serial_number);
CREATE INDEX issued_certificate_issuer ON revocation.issued_certificate USING btree (issuer, serial_number);
