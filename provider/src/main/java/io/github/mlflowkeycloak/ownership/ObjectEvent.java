package io.github.mlflowkeycloak.ownership;

import java.util.Map;
import java.util.Optional;

import io.github.mlflowkeycloak.route.Route;

/**
 * The MLflow requests whose success changes what Keycloak must know: who created an experiment
 * or a registered model (prompts are registered models), a model's new name, a model gone.
 * The gateway reports each after MLflow answered it with success.
 */
public enum ObjectEvent {
    EXPERIMENT_CREATED,
    REGISTERED_MODEL_CREATED,
    REGISTERED_MODEL_RENAMED,
    REGISTERED_MODEL_DELETED;

    private static final Map<String, ObjectEvent> BY_OPERATION = Map.of(
            "POST /api/2.0/mlflow/experiments/create", EXPERIMENT_CREATED,
            "POST /api/2.0/mlflow/registered-models/create", REGISTERED_MODEL_CREATED,
            "POST /api/2.0/mlflow/registered-models/rename", REGISTERED_MODEL_RENAMED,
            "DELETE /api/2.0/mlflow/registered-models/delete", REGISTERED_MODEL_DELETED);

    /** @return the event a successful request of the route is; empty for routes Keycloak need not hear of */
    public static Optional<ObjectEvent> of(Route route) {
        return Optional.ofNullable(BY_OPERATION.get(route.operation()));
    }
}
