package io.github.mlflowkeycloak.check;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.Urls;

/**
 * Tells MLflow's clients where to sign in: the realm's issuer (its public URL, whatever address
 * the gateway reached Keycloak at), the public client for the SDK and CLI, and the endpoints of the
 * device login. Public, like the realm's own OpenID configuration.
 */
public class ClientConfigResource {

    private final KeycloakSession session;
    private final CheckSettings settings;

    ClientConfigResource(KeycloakSession session, CheckSettings settings) {
        this.session = session;
        this.settings = settings;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        String issuer = Urls.realmIssuer(session.getContext().getUri().getBaseUri(), session.getContext().getRealm().getName());
        Map<String, String> config = new LinkedHashMap<>();
        config.put("issuer", issuer);
        config.put("client_id", settings.sdkClientId());
        config.put("device_authorization_endpoint", issuer + "/protocol/openid-connect/auth/device");
        config.put("token_endpoint", issuer + "/protocol/openid-connect/token");
        return Response.ok(config).header("Cache-Control", "max-age=300").build();
    }
}
