package io.github.mlflowkeycloak.check;

import jakarta.ws.rs.Path;

/** {@code /realms/{realm}/mlflow}: the endpoints of the extension. */
public class MlflowResource {

    private final CheckResource check;
    private final ClientConfigResource clientConfig;

    MlflowResource(CheckResource check, ClientConfigResource clientConfig) {
        this.check = check;
        this.clientConfig = clientConfig;
    }

    /** The gateway's question: may this request reach MLflow? */
    @Path("check")
    public CheckResource check() {
        return check;
    }

    /** Where MLflow's clients sign in; the gateway serves it at /.well-known/mlflow-keycloak. */
    @Path("client-config")
    public ClientConfigResource clientConfig() {
        return clientConfig;
    }
}
