package io.github.mlflowkeycloak.check;

import io.github.mlflowkeycloak.browser.BrowserSessionResource;
import jakarta.ws.rs.Path;

/** {@code /realms/{realm}/mlflow}: the endpoints of the extension. */
public class MlflowResource {

    private final CheckResource check;
    private final ClientConfigResource clientConfig;
    private final BrowserSessionResource browserSession;
    private final ObjectEventResource objectEvents;

    MlflowResource(CheckResource check, ClientConfigResource clientConfig, BrowserSessionResource browserSession,
            ObjectEventResource objectEvents) {
        this.check = check;
        this.clientConfig = clientConfig;
        this.browserSession = browserSession;
        this.objectEvents = objectEvents;
    }

    /** The gateway's report of MLflow's answer to a create, rename or delete: owners, names. */
    @Path("object-events")
    public ObjectEventResource objectEvents() {
        return objectEvents;
    }

    /** The gateway's question: may this request reach MLflow? */
    @Path("check")
    public CheckResource check() {
        return check;
    }

    /** Browser sign-in and sign-out for the MLflow UI; the gateway serves them at /oauth2/. */
    @Path("oauth2")
    public BrowserSessionResource browserSession() {
        return browserSession;
    }

    /** Where MLflow's clients sign in; the gateway serves it at /.well-known/mlflow-keycloak. */
    @Path("client-config")
    public ClientConfigResource clientConfig() {
        return clientConfig;
    }
}
