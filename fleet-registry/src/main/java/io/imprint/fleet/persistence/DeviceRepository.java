package io.imprint.fleet.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class DeviceRepository implements PanacheRepositoryBase<DeviceEntity, String> {

    public Uni<DeviceEntity> findBySerial(String serialNumber) {
        return find("serialNumber", serialNumber).firstResult();
    }

    public Uni<Long> countByStatus(DeviceEntity.Status status) {
        return count("status", status);
    }
}
