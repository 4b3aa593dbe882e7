package io.imprint.fleet.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

@ApplicationScoped
public class DeviceCertificateRepository implements PanacheRepositoryBase<DeviceCertificateEntity, String> {
    /** Every certificate of the device, newest first. */
    public Uni<List<DeviceCertificateEntity>> history(String deviceId) {
        return find("deviceId = ?1 ORDER BY notBefore DESC, serialNumber DESC", deviceId)
                .list();
    }

    /** The histories of several devices at once, each newest first. */
    public Uni<Map<String, List<DeviceCertificateEntity>>> histories(Collection<String> deviceIds) {
        return find("deviceId IN ?1 ORDER BY notBefore DESC, serialNumber DESC", deviceIds)
                .list()
                .map(all -> all.stream()
                        .collect(Collectors.groupingBy(
                                c -> c.deviceId, LinkedHashMap::new, Collectors.toCollection(ArrayList::new))));
    }
}
