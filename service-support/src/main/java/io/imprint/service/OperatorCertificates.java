package io.imprint.service;

import io.imprint.pki.operator.OperatorIdentity;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.CertificateCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;

/**
 * Turns the client certificate Quarkus' mutual-TLS mechanism verified (under the operator CA, the only CA the
 * HTTPS port trusts) into the operator it names, with the roles {@link OperatorRoles} grants that name. A
 * certificate whose subject is not exactly an operator identity is refused, so a station's or service's
 * certificate never passes for a person even if a trust store were widened. Endpoints ask for roles with
 * {@code @RolesAllowed}; the principal's name (the operator's) is what records of their actions carry.
 */
@ApplicationScoped
public class OperatorCertificates implements SecurityIdentityAugmentor {
    private final Instance<OperatorRoles> roles;

    public OperatorCertificates(Instance<OperatorRoles> roles) {
        this.roles = roles;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        CertificateCredential credential = identity.getCredential(CertificateCredential.class);
        if (identity.isAnonymous() || credential == null) {
            return Uni.createFrom().item(identity);
        }
        Optional<OperatorIdentity> operator = OperatorIdentity.of(credential.getCertificate());
        if (operator.isEmpty() || !roles.isResolvable()) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        String name = operator.get().name();
        return Uni.createFrom()
                .item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(name))
                        .addCredential(credential)
                        .addRoles(roles.get().of(name))
                        .build());
    }
}
