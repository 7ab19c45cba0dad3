package io.github.mlflowkeycloak.check;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.mlflowkeycloak.route.Route;

/**
 * Lookups by name that MLflow's clients ask before they create (set_experiment asks
 * get-by-name, and creates on "does not exist"). Denied, they answer as MLflow answers for a
 * name that does not exist, whether it exists or not: the client goes on to create, and the
 * answer tells nothing that a 403 would not.
 */
final class NotFoundAnswers {

    private record Answer(String field, String message) {
    }

    private static final Map<String, Answer> BY_OPERATION = Map.of(
            "GET /api/2.0/mlflow/experiments/get-by-name", new Answer("experiment_name", "Could not find experiment with name '%s'"),
            "GET /api/2.0/mlflow/registered-models/get", new Answer("name", "Registered Model with name=%s not found"));

    private NotFoundAnswers() {
    }

    /** @return MLflow's message for the name the request gives; empty for other routes */
    static Optional<String> message(Route route, Map<String, List<String>> ids) {
        Answer answer = BY_OPERATION.get(route.operation());
        List<String> names = answer == null ? null : ids.get(answer.field());
        if (names == null || names.size() != 1) {
            return Optional.empty();
        }
        return Optional.of(String.format(answer.message(), names.get(0)));
    }
}
