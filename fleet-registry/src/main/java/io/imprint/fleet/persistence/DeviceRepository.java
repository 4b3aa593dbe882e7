package io.imprint.fleet.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class DeviceRepository implements PanacheRepositoryBase<DeviceEntity, String> {

    public Uni<Long> countByStatus(DeviceEntity.Status status) {
        return count("status", status);
    }

    /** Criteria of a listing; null ones are not applied. {@code from} inclusive, {@code to} exclusive. */
    public record Criteria(String factoryId, String orderId, DeviceEntity.Status status, Instant from, Instant to) {}

    /** Up to {@code limit} devices after the device id {@code after} (null: from the first), by device id. */
    public Uni<List<DeviceEntity>> list(Criteria criteria, String after, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> parameters = new HashMap<>();
        add(where, parameters, "deviceId >", "after", after);
        add(where, parameters, "factoryId =", "factory", criteria.factoryId());
        add(where, parameters, "orderId =", "order", criteria.orderId());
        add(where, parameters, "status =", "status", criteria.status());
        add(where, parameters, "provisionedAt >=", "from", criteria.from());
        add(where, parameters, "provisionedAt <", "to", criteria.to());
        return find(where + " ORDER BY deviceId", parameters).page(0, limit).list();
    }

    private static void add(StringBuilder where, Map<String, Object> parameters, String test, String name, Object v) {
        if (v != null) {
            where.append(" AND ").append(test).append(" :").append(name);
            parameters.put(name, v);
        }
    }
}
