package io.github.mlflowkeycloak.authorization;

import io.github.mlflowkeycloak.route.ResourceKind;

/**
 * The names of instance resources. Keycloak's consoles search resources by name alone (a
 * case-insensitive substring), so an experiment's resource name carries the name MLflow shows and
 * its id: {@code churn (experiment/14)}, {@code churn (deleted experiment/14)} once deleted in
 * MLflow; a registered model's MLflow name is its id already: {@code registered-model/churn}.
 *
 * <p>The extension itself never looks an object up by that name: it looks up the object's key
 * ({@code experiment/14}), through the resource id derived from it, and accepts the resource
 * only if its name ends with that key in the form this class writes. The MLflow name comes first
 * and is the one part a user chooses, so a name written to look like another object's resource
 * name ({@code x (experiment/15)}) still ends with its own key.
 */
public final class InstanceNames {

    /** Keycloak keeps resource names in a column of 255 characters. */
    static final int MAX_LENGTH = 255;
    private static final String DELETED = "deleted ";

    private InstanceNames() {
    }

    /** What identifies the object: {@code experiment/<id>}, {@code registered-model/<name>}; the resource name of earlier releases. */
    public static String key(ResourceKind kind, String mlflowId) {
        return kind.resourceName() + "/" + mlflowId;
    }

    /** The resource name of an object: its key, after its MLflow name where that is not in the key. */
    static String resourceName(ResourceKind kind, String mlflowId, String mlflowName, boolean deleted) {
        String key = key(kind, mlflowId);
        if (kind != ResourceKind.EXPERIMENT) {
            return key;
        }
        String suffix = " (" + (deleted ? DELETED : "") + key + ")";
        return truncated(mlflowName, MAX_LENGTH - suffix.length()) + suffix;
    }

    /** Whether a resource name is one this class writes for the key (or the key alone, as earlier releases named every instance). */
    static boolean isNameOf(String resourceName, String key) {
        if (resourceName.equals(key)) {
            return true;
        }
        // Only experiments carry a name before their key: a model renamed to "z (registered-model/victim)" is not victim.
        return key.startsWith(ResourceKind.EXPERIMENT.resourceName() + "/")
                && (resourceName.endsWith(" (" + key + ")") || resourceName.endsWith(" (" + DELETED + key + ")"));
    }

    /** What only the names of deleted experiments contain: a query by name narrows to them. */
    static String deletedMarker() {
        return "(" + DELETED + ResourceKind.EXPERIMENT.resourceName() + "/";
    }

    /** At most {@code max} characters, never half a surrogate pair; a cut name ends with "…". */
    private static String truncated(String name, int max) {
        if (name.length() <= max) {
            return name;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(name.charAt(end - 1))) {
            end--;
        }
        return name.substring(0, end) + "…";
    }
}
