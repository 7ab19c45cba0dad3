package io.github.mlflowkeycloak.admin;

import io.github.mlflowkeycloak.route.ResourceKind;

/**
 * An experiment or registered model as MLflow knows it now.
 *
 * @param id the experiment id, or the registered model's name
 * @param name the MLflow name
 */
record MlflowObject(ResourceKind kind, String id, String name) {

    /** The longest MLflow name a label carries whole: Keycloak keeps policy names in 255 characters. */
    private static final int LABELLED_NAME_LENGTH = 120;

    /** How the console's lists name it: {@code experiment alice-exp (14)}, {@code registered-model churn}. */
    String label() {
        String shown = Labels.bounded(name, LABELLED_NAME_LENGTH);
        return kind == ResourceKind.EXPERIMENT ? "experiment " + shown + " (" + id + ")" : kind.resourceName() + " " + shown;
    }
}
