package io.github.mlflowkeycloak.ownership;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.mlflowkeycloak.authorization.InstanceResources;
import io.github.mlflowkeycloak.request.BadRequestException;
import io.github.mlflowkeycloak.request.JsonBody;
import io.github.mlflowkeycloak.route.Route;

/**
 * The MLflow requests whose success changes what Keycloak must know: who created an experiment
 * or a registered model (prompts are registered models), their new names, a model gone, an
 * experiment deleted (MLflow keeps it, restorable, until {@code mlflow gc}) or restored.
 * The gateway reports each after MLflow answered it with success.
 */
public enum ObjectEvent {
    EXPERIMENT_CREATED("name", 255),
    REGISTERED_MODEL_CREATED("name", InstanceResources.MAX_MLFLOW_NAME_LENGTH),
    REGISTERED_MODEL_RENAMED("new_name", InstanceResources.MAX_MLFLOW_NAME_LENGTH),
    REGISTERED_MODEL_DELETED(null, 0),
    EXPERIMENT_RENAMED("new_name", 255),
    EXPERIMENT_DELETED(null, 0),
    EXPERIMENT_RESTORED(null, 0);

    /** The request field that holds the object's new name, and the longest one Keycloak can record; null: none. */
    private final String nameField;
    private final int maxNameLength;

    ObjectEvent(String nameField, int maxNameLength) {
        this.nameField = nameField;
        this.maxNameLength = maxNameLength;
    }

    /**
     * Refuses, before MLflow acts, a name Keycloak could not record: MLflow would create the object,
     * and it would stay without an owner.
     */
    public void requireRecordableName(JsonBody request) throws BadRequestException {
        if (nameField == null) {
            return;
        }
        for (String name : request.values(nameField)) {
            if (name.length() > maxNameLength) {
                throw new BadRequestException("The name is longer than the " + maxNameLength + " characters the gateway can record.");
            }
        }
    }

    /** Whether the event gives an existing object a new name (the request's name field). */
    public boolean renames() {
        return this == REGISTERED_MODEL_RENAMED || this == EXPERIMENT_RENAMED;
    }

    /** The names the request gives the object; empty for an event that names nothing. */
    public List<String> names(JsonBody request) throws BadRequestException {
        return nameField == null ? List.of() : request.values(nameField);
    }

    private static final Map<String, ObjectEvent> BY_OPERATION = Map.of(
            "POST /api/2.0/mlflow/experiments/create", EXPERIMENT_CREATED,
            "POST /api/2.0/mlflow/registered-models/create", REGISTERED_MODEL_CREATED,
            "POST /api/2.0/mlflow/registered-models/rename", REGISTERED_MODEL_RENAMED,
            "DELETE /api/2.0/mlflow/registered-models/delete", REGISTERED_MODEL_DELETED,
            "POST /api/2.0/mlflow/experiments/update", EXPERIMENT_RENAMED,
            "POST /api/2.0/mlflow/experiments/delete", EXPERIMENT_DELETED,
            "POST /api/2.0/mlflow/experiments/restore", EXPERIMENT_RESTORED);

    /** @return the event a successful request of the route is; empty for routes Keycloak need not hear of */
    public static Optional<ObjectEvent> of(Route route) {
        return Optional.ofNullable(BY_OPERATION.get(route.operation()));
    }
}
