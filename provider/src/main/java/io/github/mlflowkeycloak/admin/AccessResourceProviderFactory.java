package io.github.mlflowkeycloak.admin;

import com.google.auto.service.AutoService;
import io.github.mlflowkeycloak.check.CheckResourceProviderFactory;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

/**
 * Serves {@code /admin/realms/{realm}/mlflow/…} ({@link AccessResource}). It has no options of its
 * own: the MLflow client and MLflow's internal URL are those the {@code /check} endpoint is
 * configured with, read once there.
 */
@AutoService(AdminRealmResourceProviderFactory.class)
public final class AccessResourceProviderFactory implements AdminRealmResourceProviderFactory {

    public static final String ID = "mlflow";

    private String clientId;
    private MlflowObjects objects;

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        CheckResourceProviderFactory check = (CheckResourceProviderFactory) factory.getProviderFactory(RealmResourceProvider.class,
                CheckResourceProviderFactory.ID);
        clientId = check.clientId();
        objects = new MlflowObjects(check.mlflow());
    }

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return new AccessResourceProvider(clientId, objects);
    }

    @Override
    public void close() {
    }
}
