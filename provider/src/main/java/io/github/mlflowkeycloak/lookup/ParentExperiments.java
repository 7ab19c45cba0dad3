package io.github.mlflowkeycloak.lookup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * The experiment that a run, a trace or a logged model belongs to, as MLflow says. These never
 * move to another experiment, so what MLflow answered once is kept, in bounded caches; an
 * experiment's name can change, so a lookup by name is never kept.
 */
public final class ParentExperiments {

    private final MlflowApi mlflow;
    private final BoundedCache<String, String> runs;
    private final BoundedCache<String, String> traces;
    private final BoundedCache<String, String> loggedModels;

    public ParentExperiments(MlflowApi mlflow, int maxEntriesPerCache) {
        this.mlflow = mlflow;
        this.runs = new BoundedCache<>(maxEntriesPerCache);
        this.traces = new BoundedCache<>(maxEntriesPerCache);
        this.loggedModels = new BoundedCache<>(maxEntriesPerCache);
    }

    /** @return the run's experiment id; empty when there is no such run */
    public Optional<String> ofRun(String runId) throws MlflowUnavailableException {
        return cached(runs, runId, () -> mlflow.get("/api/2.0/mlflow/runs/get", Map.of("run_id", List.of(runId)))
                .map(answer -> answer.path("run").path("info").path("experiment_id")));
    }

    /** @return the trace's experiment id (trace ids and MLflow 2's request ids alike) */
    public Optional<String> ofTrace(String traceId) throws MlflowUnavailableException {
        return cached(traces, traceId, () -> mlflow.get("/api/2.0/mlflow/traces/" + MlflowApi.segment(traceId) + "/info", Map.of())
                .map(answer -> answer.path("trace_info").path("experiment_id")));
    }

    /** @return the logged model's experiment id */
    public Optional<String> ofLoggedModel(String modelId) throws MlflowUnavailableException {
        return cached(loggedModels, modelId, () -> mlflow.get("/api/2.0/mlflow/logged-models/" + MlflowApi.segment(modelId), Map.of())
                .map(answer -> answer.path("model").path("info").path("experiment_id")));
    }

    /**
     * @return the experiments an evaluation dataset belongs to now (never cached: experiments are
     *         added and removed); empty when there is no such dataset
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

    /** @return the id of the experiment that has this name now (never cached: experiments are renamed) */
    public Optional<String> byName(String experimentName) throws MlflowUnavailableException {
        return text(mlflow.get("/api/2.0/mlflow/experiments/get-by-name", Map.of("experiment_name", List.of(experimentName)))
                .map(answer -> answer.path("experiment").path("experiment_id")));
    }

    int cachedEntries() {
        return runs.size() + traces.size() + loggedModels.size();
    }

    private interface Lookup {
        Optional<JsonNode> ask() throws MlflowUnavailableException;
    }

    private static Optional<String> cached(BoundedCache<String, String> cache, String id, Lookup lookup)
            throws MlflowUnavailableException {
        if (id.isEmpty()) {
            return Optional.empty();
        }
        String known = cache.get(id);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<String> experimentId = text(lookup.ask());
        experimentId.ifPresent(value -> cache.put(id, value));
        return experimentId;
    }

    private static Optional<String> text(Optional<JsonNode> value) {
        return value.filter(JsonNode::isTextual).map(JsonNode::textValue).filter(text -> !text.isEmpty());
    }
}
