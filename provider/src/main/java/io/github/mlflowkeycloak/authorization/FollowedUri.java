package io.github.mlflowkeycloak.authorization;

import java.util.Optional;
import java.util.Set;

import io.github.mlflowkeycloak.route.ResourceKind;

/**
 * What a URI that MLflow follows (a model version's {@code source}, a prompt to optimise) names,
 * read as MLflow reads these URIs. Only the forms MLflow itself writes are understood; anything
 * else (a path on the server's disk, another store, an encoded or relative form) names nothing
 * the extension can vouch for, and is left to those who manage the server.
 *
 * @param reference how the value leads to the object whose permissions decide
 * @param kind      that object's kind
 * @param value     the id or name to resolve
 */
record FollowedUri(ObjectReference reference, ResourceKind kind, String value) {

    /** The sources MLflow gives prompt versions, which name nothing (MLflow accepts them for prompts alone). */
    private static final Set<String> PROMPT_SOURCE_PLACEHOLDERS = Set.of("dummy-source", "prompt-template");

    /** Whether the value is one of MLflow's own placeholders, which it follows nowhere. */
    static boolean isPlaceholder(String uri) {
        return PROMPT_SOURCE_PLACEHOLDERS.contains(uri);
    }

    /** @return the object the URI names; empty when it is not one of MLflow's own forms */
    static Optional<FollowedUri> of(String uri) {
        if (!isPlain(uri)) {
            return Optional.empty();
        }
        if (uri.startsWith("models:/") && !uri.startsWith("models://")) {
            return registeredModelOrLoggedModel(uri.substring("models:/".length()), true);
        }
        if (uri.startsWith("prompts:/") && !uri.startsWith("prompts://")) {
            return registeredModelOrLoggedModel(uri.substring("prompts:/".length()), false);
        }
        if (uri.startsWith("runs:/") && !uri.startsWith("runs://")) {
            return firstSegment(uri.substring("runs:/".length()))
                    .map(run -> new FollowedUri(ObjectReference.RUN_ID, ResourceKind.EXPERIMENT, run));
        }
        if (uri.startsWith("mlflow-artifacts:")) {
            String path = uri.substring("mlflow-artifacts:".length());
            if (path.startsWith("//")) {
                // mlflow-artifacts://host:port/<experiment id>/…: the authority is this server.
                int slash = path.indexOf('/', 2);
                path = slash < 0 ? "" : path.substring(slash);
            }
            if (!path.startsWith("/")) {
                return Optional.empty();
            }
            return ObjectPermissions.experimentOfArtifactPath(path.substring(1))
                    .map(experiment -> new FollowedUri(ObjectReference.EXPERIMENT_ID, ResourceKind.EXPERIMENT, experiment));
        }
        return Optional.empty();
    }

    /**
     * {@code name/version}, {@code name/stage} and {@code name@alias} name a registered model
     * (or prompt); a lone {@code m-…} segment of {@code models:/} names a logged model.
     */
    private static Optional<FollowedUri> registeredModelOrLoggedModel(String path, boolean loggedModels) {
        String[] parts = path.split("/", -1);
        if (parts.length > 2 || parts[0].isBlank()) {
            return Optional.empty();
        }
        if (parts.length == 2) {
            return parts[1].isBlank() ? Optional.empty() : Optional.of(registeredModel(parts[0]));
        }
        int at = parts[0].lastIndexOf('@');
        if (at >= 0) {
            String name = parts[0].substring(0, at);
            return name.isBlank() || at == parts[0].length() - 1 ? Optional.empty() : Optional.of(registeredModel(name));
        }
        return loggedModels ? Optional.of(new FollowedUri(ObjectReference.LOGGED_MODEL_ID, ResourceKind.EXPERIMENT, parts[0]))
                : Optional.empty();
    }

    private static FollowedUri registeredModel(String name) {
        return new FollowedUri(ObjectReference.REGISTERED_MODEL_NAME, ResourceKind.REGISTERED_MODEL, name);
    }

    private static Optional<String> firstSegment(String path) {
        int slash = path.indexOf('/');
        String first = slash < 0 ? path : path.substring(0, slash);
        return first.isBlank() ? Optional.empty() : Optional.of(first);
    }

    /**
     * No escapes, dot segments, query, fragment, backslash, white space or control characters:
     * MLflow unquotes and normalises such URIs in ways a check could read otherwise.
     */
    private static boolean isPlain(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '%' || c == '\\' || c == '?' || c == '#') {
                return false;
            }
        }
        for (String segment : uri.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return false;
            }
        }
        return true;
    }
}
