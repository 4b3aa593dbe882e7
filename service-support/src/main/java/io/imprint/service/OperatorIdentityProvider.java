package io.imprint.service;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/** Turns a valid operator token into the operator's identity with {@link OperatorAuthenticator#ROLE}. */
@ApplicationScoped
public class OperatorIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {
    private final Instance<OperatorAuthenticator> operators;

    public OperatorIdentityProvider(Instance<OperatorAuthenticator> operators) {
        this.operators = operators;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        if (!operators.isResolvable()) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        return operators
                .get()
                .authenticate(request.getToken().getToken())
                .<Uni<SecurityIdentity>>map(operator -> Uni.createFrom()
                        .item(QuarkusSecurityIdentity.builder()
                                .setPrincipal(new QuarkusPrincipal(operator))
                                .addRole(OperatorAuthenticator.ROLE)
                                .build()))
                // The exception carries no detail: nothing about the presented token reaches a log.
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException()));
    }
}
