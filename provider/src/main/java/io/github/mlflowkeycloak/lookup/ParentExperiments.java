package io.github.mlflowkeycloak.lookup;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.mlflowkeycloak.metrics.MlflowMetrics;
import io.micrometer.core.instrument.Counter;

/**
 * The experiment an object belongs to, as MLflow says. Runs, traces, logged models, issues,
 * label schemas and review queues never move to another experiment through the gateway (it
 * refuses the creates that would move a trace), so what MLflow answered once is kept, in bounded
 * caches; an experiment's name can change and a dataset's experiments can, so those are asked
 * every time.
 *
 * <p>That an id names nothing is remembered too, for a short while: otherwise a denied existing
 * object (known, answered at once) and a made-up id (asked of MLflow every time) would be told
 * apart by how long the refusal takes.
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
    /** Per kind of child: ids MLflow said it does not know, with when that answer expires. */
    private final Map<Child, BoundedCache<String, Long>> missing = new EnumMap<>(Child.class);
    private final Map<Child, CacheMeters> meters = new EnumMap<>(Child.class);
    private final long missingMillis;
    private final LongSupplier clock;

    /** @param missingMillis how long an id MLflow does not know is answered as such without asking again */
    public ParentExperiments(MlflowApi mlflow, int maxEntriesPerCache, long missingMillis) {
        this(mlflow, maxEntriesPerCache, missingMillis, System::currentTimeMillis);
    }

    ParentExperiments(MlflowApi mlflow, int maxEntriesPerCache, long missingMillis, LongSupplier clock) {
        this.mlflow = mlflow;
        this.missingMillis = missingMillis;
        this.clock = clock;
        for (Child child : Child.values()) {
            caches.put(child, new BoundedCache<>(maxEntriesPerCache));
            missing.put(child, new BoundedCache<>(maxEntriesPerCache));
            meters.put(child, new CacheMeters(MlflowMetrics.tag(child)));
        }
    }

    /** @return the experiment id of the object; empty when there is no such object */
    public Optional<String> of(Child child, String id) throws MlflowUnavailableException {
        if (id.isEmpty()) {
            return Optional.empty();
        }
        String known = caches.get(child).get(id);
        if (known != null) {
            meters.get(child).hit.increment();
            return Optional.of(known);
        }
        Long expires = missing.get(child).get(id);
        if (expires != null && expires > clock.getAsLong()) {
            meters.get(child).knownMissing.increment();
            return Optional.empty();
        }
        meters.get(child).miss.increment();
        return ask(child, id);
    }

    /**
     * Like {@link #of}, but an absence is asked of MLflow again: for a create that names its new
     * object's id, which must not land on an object made since. That id is about to exist, so it
     * is no longer remembered as missing.
     */
    public Optional<String> ofNow(Child child, String id) throws MlflowUnavailableException {
        if (id.isEmpty()) {
            return Optional.empty();
        }
        String known = caches.get(child).get(id);
        if (known != null) {
            meters.get(child).hit.increment();
            return Optional.of(known);
        }
        meters.get(child).miss.increment();
        Optional<String> experimentId = ask(child, id);
        missing.get(child).remove(id);
        return experimentId;
    }

    private Optional<String> ask(Child child, String id) throws MlflowUnavailableException {
        Optional<JsonNode> answer = child.queryParameter != null
                ? mlflow.get(child.path, Map.of(child.queryParameter, List.of(id)))
                : mlflow.get(child.path + MlflowApi.segment(id) + child.pathSuffix, Map.of());
        Optional<String> experimentId = text(answer.map(json -> json.at(child.experimentId)));
        if (experimentId.isPresent()) {
            caches.get(child).put(id, experimentId.get());
        } else if (missingMillis > 0) {
            missing.get(child).put(id, clock.getAsLong() + missingMillis);
        }
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

    /** A cache's answers: known, known not to exist, or asked of MLflow. */
    private record CacheMeters(Counter hit, Counter knownMissing, Counter miss) {

        CacheMeters(String cache) {
            this(MlflowMetrics.counter(MlflowMetrics.LOOKUP_CACHE, "cache", cache, "result", "hit"),
                    MlflowMetrics.counter(MlflowMetrics.LOOKUP_CACHE, "cache", cache, "result", "known_missing"),
                    MlflowMetrics.counter(MlflowMetrics.LOOKUP_CACHE, "cache", cache, "result", "miss"));
        }
    }

    private static Optional<String> text(Optional<JsonNode> value) {
        return value.filter(JsonNode::isTextual).map(JsonNode::textValue).filter(text -> !text.isEmpty());
    }
}
