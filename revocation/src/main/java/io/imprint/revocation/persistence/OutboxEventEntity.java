package io.imprint.revocation.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** An event committed with the change it announces, waiting for the broker to acknowledge it. */
@Entity
@Table(name = "outbox")
public class OutboxEventEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "outbox_seq")
    @SequenceGenerator(name = "outbox_seq", sequenceName = "outbox_seq", allocationSize = 50)
    public Long id;

    /** The {@code EventType} name. */
    @Column(name = "event_type", nullable = false, length = 64)
    public String eventType;

    @Column(name = "event_key", nullable = false, length = 512)
    public String eventKey;

    /** The event's exact JSON bytes: what is sent and signed. */
    @Column(nullable = false)
    public byte[] payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
