package io.imprint.revocation.service;

import io.imprint.pki.Serials;
import io.imprint.revocation.persistence.BulkRevocationRepository.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What a bulk revocation selects: exactly one of a production order, a factory within a time window (by the
 * certificates' notBefore), a station, an issuing CA (by subject) or a list of serials.
 */
public record BulkSelector(
        String orderId,
        String factoryId,
        Instant from,
        Instant to,
        String stationId,
        String issuer,
        List<String> serials) {
    /** Most serials one uploaded list may hold. */
    public static final int MAX_SERIALS = 1_000_000;

    /** Why this selector cannot be used, or null when it can. */
    public String problem() {
        int kinds = (orderId != null ? 1 : 0)
                + (factoryId != null ? 1 : 0)
                + (stationId != null ? 1 : 0)
                + (issuer != null ? 1 : 0)
                + (serials != null ? 1 : 0);
        if (kinds != 1) {
            return "select exactly one of orderId, factoryId (with from and to), stationId, issuer or serials";
        }
        if (factoryId != null && (from == null || to == null || !to.isAfter(from))) {
            return "factoryId needs from and to (ISO-8601 instants), to after from";
        }
        if (factoryId == null && (from != null || to != null)) {
            return "from and to go with factoryId";
        }
        if (serials != null && (serials.isEmpty() || serials.size() > MAX_SERIALS)) {
            return "serials must list 1 to " + MAX_SERIALS + " serials";
        }
        return null;
    }

    /** The condition for a dry run, or for a job whose serials are stored under {@code jobId}. */
    Condition condition(String jobId) {
        if (orderId != null) {
            return Condition.order(orderId);
        }
        if (factoryId != null) {
            return Condition.factoryWindow(factoryId, from, to);
        }
        if (stationId != null) {
            return Condition.station(stationId);
        }
        if (issuer != null) {
            return Condition.issuer(issuer);
        }
        return jobId == null ? Condition.serials(serials) : Condition.serialsOfJob(jobId);
    }

    /** As recorded with the job: the selector, an uploaded list by its size. */
    Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        putIfSet(summary, "orderId", orderId);
        putIfSet(summary, "factoryId", factoryId);
        putIfSet(summary, "from", from == null ? null : from.toString());
        putIfSet(summary, "to", to == null ? null : to.toString());
        putIfSet(summary, "stationId", stationId);
        putIfSet(summary, "issuer", issuer);
        putIfSet(summary, "serials", serials == null ? null : serials.size());
        return summary;
    }

    private static void putIfSet(Map<String, Object> summary, String key, Object value) {
        if (value != null) {
            summary.put(key, value);
        }
    }

    /**
     * The selector with its serials as lower-case hex without leading zeros, duplicates dropped.
     *
     * @throws IllegalArgumentException for a serial that is not 1 to 40 hex digits
     */
    public BulkSelector normalisedSerials() {
        if (serials == null) {
            return this;
        }
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(
                serials.stream().map(s -> Serials.hex(Serials.parse(s))).toList()));
        return new BulkSelector(orderId, factoryId, from, to, stationId, issuer, unique);
    }
}
