package io.imprint.service;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
import java.util.Set;

/**
 * The one way an operator is authenticated: {@code Authorization: Bearer <token>}, checked by
 * {@link OperatorIdentityProvider} before any endpoint runs or any body is read. Endpoints say
 * {@code @RolesAllowed(OperatorAuthenticator.ROLE)}; a request without a valid token gets 401 with the
 * {@code UNAUTHORIZED} error body. A service without an operator token configured authenticates nobody.
 */
@ApplicationScoped
public class OperatorTokenMechanism implements HttpAuthenticationMechanism {
    static final String SCHEME = "Bearer";
    static final ApiError UNAUTHORIZED = new ApiError("UNAUTHORIZED", "a valid operator bearer token is required");
    private static final Buffer UNAUTHORIZED_BODY =
            Buffer.buffer(JsonObject.of("code", UNAUTHORIZED.code(), "message", UNAUTHORIZED.message())
                    .encode());
    private final Instance<OperatorAuthenticator> operators;

    public OperatorTokenMechanism(Instance<OperatorAuthenticator> operators) {
        this.operators = operators;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !operators.isResolvable()) {
            return Uni.createFrom().nullItem();
        }
        // A malformed header is presented as an empty token, so it fails like a wrong one.
        String token = authorization.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)
                ? authorization.substring(SCHEME.length() + 1)
                : "";
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                new TokenAuthenticationRequest(new TokenCredential(token, SCHEME.toLowerCase(Locale.ROOT))), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, HttpHeaders.WWW_AUTHENTICATE, SCHEME));
    }

    /**
     * The 401 with Imprint's error body when authentication fails before any endpoint is chosen; Quarkus ends
     * the response after this. {@link OperatorRefusals} answers the same when an endpoint refuses.
     */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        context.response()
                .setStatusCode(401)
                .putHeader(HttpHeaders.WWW_AUTHENTICATE, SCHEME)
                .putHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON)
                .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(UNAUTHORIZED_BODY.length()));
        return Uni.createFrom()
                .completionStage(context.response().write(UNAUTHORIZED_BODY).toCompletionStage())
                .replaceWith(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }
}
