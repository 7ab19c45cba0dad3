package io.github.mlflowkeycloak.lookup;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * The experiment an object belongs to, as MLflow says. Runs, traces, logged models, issues,
 * label schemas and review queues never move to another experiment, so what MLflow answered once
 * is kept, in bounded caches; an experiment's name can change and a dataset's experiments can,
 * so those are asked every time.
 */
public final class ParentExperiments {

    /** Where MLflow tells an object's experiment: a GET by id, and where the answer holds it. */
    public enum Child {
        RUN("/api/2.0/mlflow/runs/get", "run_id", null, "/run/info/experiment_id"),
        /** Traces, by trace id or MLflow 2's request id. */
        TRACE("/api/2.0/mlflow/traces/", null, "/info", "/trace_info/experiment_id"),
        LOGGED_MODEL("/api/2.0/mlflow/logged-models/", null, "", "/model/info/experiment_id"),
        ISSUE("/api/3.0/mlflow/issues/", null, "", "/issue/experiment_id"),
        LABEL_SCHEMA("/api/3.0/mlflow/label-schemas/get", "schema_id", null, "/label_schema/experiment_id"),
        REVIEW_QUEUE("/api/3.0/mlflow/review-queues/get", "queue_id", null, "/review_queue/experiment_id");

        private final String path;
        private final String queryParameter;
        private final String pathSuffix;
        private final String experimentId;

        /** Either {@code queryParameter} (the id in the query string) or {@code pathSuffix} (the id in the path). */
        Child(String path, String queryParameter, String pathSuffix, String experimentId) {
            this.path = path;
            this.queryParameter = queryParameter;
            this.pathSuffix = pathSuffix;
            this.experimentId = experimentId;
        }
    }

    private final MlflowApi mlflow;
    private final Map<Child, BoundedCache<String, String>> caches = new EnumMap<>(Child.class);

    public ParentExperiments(MlflowApi mlflow, int maxEntriesPerCache) {
        this.mlflow = mlflow;
        for (Child child : Child.values()) {
            caches.put(child, new BoundedCache<>(maxEntriesPerCache));
        }
    }

    /** @return the experiment id of the object; empty when there is no such object */
    public Optional<String> of(Child child, String id) throws MlflowUnavailableException {
        if (id.isEmpty()) {
            return Optional.empty();
        }
        BoundedCache<String, String> cache = caches.get(child);
        String known = cache.get(id);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<JsonNode> answer = child.queryParameter != null
                ? mlflow.get(child.path, Map.of(child.queryParameter, List.of(id)))
                : mlflow.get(child.path + MlflowApi.segment(id) + child.pathSuffix, Map.of());
        Optional<String> experimentId = text(answer.map(json -> json.at(child.experimentId)));
        experimentId.ifPresent(value -> cache.put(id, value));
        return experimentId;
    }

    /**
     * @return the experiments an evaluation dataset belongs to now; empty when there is no such
     *         dataset or it belongs to none
     */
    public List<String> ofDataset(String datasetId) throws MlflowUnavailableException {
        if (datasetId.isEmpty()) {
            return List.of();
        }
        Optional<JsonNode> answer = mlflow.get("/api/3.0/mlflow/datasets/" + MlflowApi.segment(datasetId) + "/experiment-ids", Map.of());
        List<String> experiments = new ArrayList<>();
        for (JsonNode id : answer.map(json -> json.path("experiment_ids")).orElse(MissingNode.getInstance())) {
            if (!id.isTextual() || id.textValue().isEmpty()) {
                return List.of();
            }
            experiments.add(id.textValue());
        }
        return experiments;
    }

    /** @return the id of the experiment that has this name now */
    public Optional<String> byName(String experimentName) throws MlflowUnavailableException {
        return text(mlflow.get("/api/2.0/mlflow/experiments/get-by-name", Map.of("experiment_name", List.of(experimentName)))
                .map(answer -> answer.path("experiment").path("experiment_id")));
    }

    private static Optional<String> text(Optional<JsonNode> value) {
        return value.filter(JsonNode::isTextual).map(JsonNode::textValue).filter(text -> !text.isEmpty());
    }
}
