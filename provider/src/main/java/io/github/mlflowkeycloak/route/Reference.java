package io.github.mlflowkeycloak.route;

/**
 * A request field whose value MLflow follows to an object other than the ones the route acts on,
 * and what the caller needs on that object. The route table's REFS column, one
 * {@code FIELD>TARGET} each:
 * <ul>
 * <li>{@code KIND:SCOPE} ({@link Follows#OBJECT}): the value names an experiment (directly, or
 *     through a run, trace, logged model, …) or a registered model, which needs the scope; for
 *     the gateway and the server, the scope is needed kind-wide whenever the field is given.</li>
 * <li>{@code uri:SCOPE} ({@link Follows#URI}): the value is a URI MLflow reads or copies from
 *     ({@code models:/}, {@code runs:/}, {@code mlflow-artifacts:/}, {@code prompts:/}); what it
 *     names needs the scope, and any other URI needs {@code server:manage}.</li>
 * <li>{@code existing} ({@link Follows#EXISTING}): the id of the object a create makes; when it
 *     exists already, MLflow would move or extend it, so it must belong to the experiment the
 *     request names.</li>
 * <li>{@code tag} ({@link Follows#TAG_KEY}): a tag key; the tags MLflow's server sets itself and
 *     then trusts (where a trace's data lives) are refused.</li>
 * </ul>
 *
 * @param field   the field, in the IDS column's notation
 * @param follows how the value leads to the object
 * @param kind    the kind of object for {@link Follows#OBJECT}; else null (a URI says its kind)
 * @param scope   the scope needed on the object; null for {@link Follows#EXISTING} and {@link Follows#TAG_KEY}
 */
public record Reference(RequestField field, Follows follows, ResourceKind kind, Scope scope) {

    public enum Follows {
        OBJECT,
        URI,
        EXISTING,
        TAG_KEY
    }

    static Reference parse(String text, PathPattern path) {
        int arrow = text.indexOf('>');
        if (arrow <= 0 || arrow == text.length() - 1) {
            throw new IllegalArgumentException("a reference is FIELD>TARGET: " + text);
        }
        RequestField field = RequestField.parse(text.substring(0, arrow), path);
        String target = text.substring(arrow + 1);
        switch (target) {
            case "existing":
                return new Reference(field, Follows.EXISTING, null, null);
            case "tag":
                return new Reference(field, Follows.TAG_KEY, null, null);
            default:
                if (target.startsWith("uri:")) {
                    return new Reference(field, Follows.URI, null, Scope.fromScopeName(target.substring("uri:".length())));
                }
                if (!(Access.parse(target) instanceof Access.Scoped scoped)) {
                    throw new IllegalArgumentException("a reference's target is KIND:SCOPE, uri:SCOPE, existing or tag: " + text);
                }
                return new Reference(field, Follows.OBJECT, scoped.kind(), scoped.scope());
        }
    }
}
