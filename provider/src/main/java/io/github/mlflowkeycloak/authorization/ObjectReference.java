package io.github.mlflowkeycloak.authorization;

import java.util.Map;

import io.github.mlflowkeycloak.route.ResourceKind;

/**
 * How a request field (a column IDS name of the route table) leads to the experiment or
 * registered model whose permissions decide: directly, through MLflow (a run's experiment), or
 * not at all ({@link #WITHIN}: it names something inside an object another field names). A
 * field missing from this table cannot be resolved, and only a kind-wide grant allows its route.
 */
public enum ObjectReference {
    EXPERIMENT_ID,
    EXPERIMENT_NAME,
    RUN_ID,
    TRACE_ID,
    LOGGED_MODEL_ID,
    /** An evaluation dataset: it may belong to several experiments, and each must allow. */
    DATASET_ID,
    ISSUE_ID,
    LABEL_SCHEMA_ID,
    REVIEW_QUEUE_ID,
    /** {@code <experiment id>/<run id>/artifacts/…}, {@code <experiment id>/models/…}, as MLflow lays out artifacts. */
    ARTIFACT_PATH,
    REGISTERED_MODEL_NAME,
    /** A W3C {@code traceparent} header: the trace whose id it carries. */
    TRACE_CONTEXT,
    WITHIN;

    /** A field's reference, and the kind of object whose permissions decide. */
    public record Use(ObjectReference reference, ResourceKind kind) {
    }

    private static final Map<String, Use> ON_EXPERIMENT_ROUTES = Map.ofEntries(
            Map.entry("experiment_id", new Use(EXPERIMENT_ID, ResourceKind.EXPERIMENT)),
            Map.entry("experiment_ids", new Use(EXPERIMENT_ID, ResourceKind.EXPERIMENT)),
            Map.entry("x-mlflow-experiment-id", new Use(EXPERIMENT_ID, ResourceKind.EXPERIMENT)),
            Map.entry("x-mlflow-run-id", new Use(RUN_ID, ResourceKind.EXPERIMENT)),
            Map.entry("traceparent", new Use(TRACE_CONTEXT, ResourceKind.EXPERIMENT)),
            Map.entry("trace.trace_info.trace_location.mlflow_experiment.experiment_id",
                    new Use(EXPERIMENT_ID, ResourceKind.EXPERIMENT)),
            Map.entry("locations[].mlflow_experiment.experiment_id", new Use(EXPERIMENT_ID, ResourceKind.EXPERIMENT)),
            Map.entry("experiment_name", new Use(EXPERIMENT_NAME, ResourceKind.EXPERIMENT)),
            Map.entry("run_id", new Use(RUN_ID, ResourceKind.EXPERIMENT)),
            Map.entry("run_uuid", new Use(RUN_ID, ResourceKind.EXPERIMENT)),
            Map.entry("run_ids", new Use(RUN_ID, ResourceKind.EXPERIMENT)),
            Map.entry("source_run_id", new Use(RUN_ID, ResourceKind.EXPERIMENT)),
            Map.entry("trace_id", new Use(TRACE_ID, ResourceKind.EXPERIMENT)),
            Map.entry("trace_ids", new Use(TRACE_ID, ResourceKind.EXPERIMENT)),
            Map.entry("request_id", new Use(TRACE_ID, ResourceKind.EXPERIMENT)),
            Map.entry("request_ids", new Use(TRACE_ID, ResourceKind.EXPERIMENT)),
            Map.entry("model_id", new Use(LOGGED_MODEL_ID, ResourceKind.EXPERIMENT)),
            Map.entry("dataset_id", new Use(DATASET_ID, ResourceKind.EXPERIMENT)),
            Map.entry("dataset_record_ids", new Use(WITHIN, ResourceKind.EXPERIMENT)),
            Map.entry("issue_id", new Use(ISSUE_ID, ResourceKind.EXPERIMENT)),
            Map.entry("schema_id", new Use(LABEL_SCHEMA_ID, ResourceKind.EXPERIMENT)),
            // Label schemas a review queue is made with or changed to: the scope on their experiments too.
            Map.entry("schema_ids", new Use(LABEL_SCHEMA_ID, ResourceKind.EXPERIMENT)),
            Map.entry("update_schema_ids", new Use(LABEL_SCHEMA_ID, ResourceKind.EXPERIMENT)),
            Map.entry("queue_id", new Use(REVIEW_QUEUE_ID, ResourceKind.EXPERIMENT)),
            Map.entry("item_id", new Use(WITHIN, ResourceKind.EXPERIMENT)),
            Map.entry("item_ids", new Use(WITHIN, ResourceKind.EXPERIMENT)),
            Map.entry("artifact_path", new Use(ARTIFACT_PATH, ResourceKind.EXPERIMENT)),
            Map.entry("path", new Use(WITHIN, ResourceKind.EXPERIMENT)),
            Map.entry("name", new Use(WITHIN, ResourceKind.EXPERIMENT)),
            Map.entry("version", new Use(WITHIN, ResourceKind.EXPERIMENT)),
            Map.entry("assessment_id", new Use(WITHIN, ResourceKind.EXPERIMENT)),
            Map.entry("upload_id", new Use(WITHIN, ResourceKind.EXPERIMENT)),
            Map.entry("artifact_file_path", new Use(WITHIN, ResourceKind.EXPERIMENT)));

    private static final Map<String, Use> ON_REGISTERED_MODEL_ROUTES = Map.of(
            "name", new Use(REGISTERED_MODEL_NAME, ResourceKind.REGISTERED_MODEL),
            "version", new Use(WITHIN, ResourceKind.REGISTERED_MODEL),
            "alias", new Use(WITHIN, ResourceKind.REGISTERED_MODEL),
            "path", new Use(WITHIN, ResourceKind.REGISTERED_MODEL));

    /** @return how the field resolves on a route of the kind; null when it cannot be resolved */
    public static Use of(ResourceKind routeKind, String field) {
        return switch (routeKind) {
            case EXPERIMENT -> ON_EXPERIMENT_ROUTES.get(field);
            case REGISTERED_MODEL -> ON_REGISTERED_MODEL_ROUTES.get(field);
            default -> null;
        };
    }
}
