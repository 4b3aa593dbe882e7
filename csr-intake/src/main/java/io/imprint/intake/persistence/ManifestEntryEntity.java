package io.imprint.intake.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One genuine secure element of an order's vendor manifest, named by its key fingerprint. */
@Entity
@Table(name = "manifest_entry")
public class ManifestEntryEntity {
    /** {@code <orderId>/<fingerprint>}: one key appears once per order. */
    @Id
    @Column(name = "entry_id", length = 200)
    public String entryId;

    @Column(name = "order_id", nullable = false, length = 128)
    public String orderId;

    @Column(name = "key_sha256", nullable = false, length = 64)
    public String keySha256;

    public static String id(String orderId, String fingerprint) {
        return orderId + "/" + fingerprint;
    }
}
