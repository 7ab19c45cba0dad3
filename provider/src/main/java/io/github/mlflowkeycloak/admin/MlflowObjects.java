package io.github.mlflowkeycloak.admin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowkeycloak.authorization.InstanceResources;
import io.github.mlflowkeycloak.lookup.MlflowApi;
import io.github.mlflowkeycloak.lookup.MlflowUnavailableException;
import io.github.mlflowkeycloak.route.ResourceKind;

/** Finds an experiment or registered model by its id or MLflow name, by asking MLflow at its internal URL. */
final class MlflowObjects {

    /** MLflow's experiment ids are decimal numbers. */
    private static final int MAX_EXPERIMENT_ID_LENGTH = 64;

    private final MlflowApi mlflow;

    MlflowObjects(MlflowApi mlflow) {
        this.mlflow = mlflow;
    }

    /** @param kind {@code experiment} or {@code registered-model}, as in the API's paths */
    static ResourceKind kind(String kind) throws AdminException {
        for (ResourceKind known : List.of(ResourceKind.EXPERIMENT, ResourceKind.REGISTERED_MODEL)) {
            if (known.resourceName().equals(kind)) {
                return known;
            }
        }
        throw AdminException.badRequest("The kind of object is 'experiment' or 'registered-model'.");
    }

    MlflowObject byId(ResourceKind kind, String id) throws AdminException, MlflowUnavailableException {
        if (kind == ResourceKind.EXPERIMENT) {
            if (!isExperimentId(id)) {
                throw AdminException.badRequest("An experiment id is a number.");
            }
            return found(kind, id, mlflow.get("/api/2.0/mlflow/experiments/get", Map.of("experiment_id", List.of(id)))
                    .map(answer -> answer.path("experiment")));
        }
        return registeredModel(id);
    }

    MlflowObject byName(ResourceKind kind, String name) throws AdminException, MlflowUnavailableException {
        if (name == null || name.isEmpty()) {
            throw AdminException.badRequest("The query parameter 'name' is missing.");
        }
        if (kind == ResourceKind.EXPERIMENT) {
            return found(kind, name, mlflow.get("/api/2.0/mlflow/experiments/get-by-name", Map.of("experiment_name", List.of(name)))
                    .map(answer -> answer.path("experiment")));
        }
        return registeredModel(name);
    }

    private MlflowObject registeredModel(String name) throws AdminException, MlflowUnavailableException {
        if (name.isEmpty() || name.length() > InstanceResources.MAX_MLFLOW_NAME_LENGTH) {
            throw AdminException.badRequest("A registered model's name has 1 to " + InstanceResources.MAX_MLFLOW_NAME_LENGTH
                    + " characters.");
        }
        return found(ResourceKind.REGISTERED_MODEL, name,
                mlflow.get("/api/2.0/mlflow/registered-models/get", Map.of("name", List.of(name)))
                        .map(answer -> answer.path("registered_model")));
    }

    private static MlflowObject found(ResourceKind kind, String asked, Optional<JsonNode> object) throws AdminException {
        JsonNode name = object.map(found -> found.path("name")).orElse(null);
        if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
            throw AdminException.notFound("MLflow knows no " + kind.resourceName().replace('-', ' ') + " '" + asked + "'.");
        }
        String id = kind == ResourceKind.EXPERIMENT ? object.get().path("experiment_id").asText("") : name.textValue();
        if (id.isEmpty()) {
            throw AdminException.notFound("MLflow's answer names no " + kind.resourceName().replace('-', ' ') + ".");
        }
        return new MlflowObject(kind, id, name.textValue());
    }

    static boolean isExperimentId(String id) {
        if (id.isEmpty() || id.length() > MAX_EXPERIMENT_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) < '0' || id.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
