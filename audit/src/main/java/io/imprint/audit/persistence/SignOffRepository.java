package io.imprint.audit.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class SignOffRepository implements PanacheRepositoryBase<SignOffEntity, Long> {}
