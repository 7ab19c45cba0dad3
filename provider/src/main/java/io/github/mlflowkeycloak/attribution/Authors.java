package io.github.mlflowkeycloak.attribution;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowkeycloak.request.BadRequestException;
import io.github.mlflowkeycloak.request.JsonBody;
import io.github.mlflowkeycloak.request.MlflowRequest;
import io.github.mlflowkeycloak.request.ObjectIds;
import io.github.mlflowkeycloak.route.Author;
import io.github.mlflowkeycloak.route.Route;

/**
 * Who MLflow records is the caller, whatever the client claims. MLflow stores the name it is sent
 * (a run's {@code user_id}, {@code mlflow.user} in an object's tags or a trace's metadata, an
 * issue's {@code created_by}, a human assessment's {@code source_id}, …), and its clients send the operating system's user name.
 * So the body MLflow receives carries the caller's user name in every author field of the route's
 * WHO column, and a request that would change who an existing object records (its
 * {@code mlflow.user} set or deleted) is refused.
 */
public final class Authors {

    /**
     * The largest body the gateway forwards once rewritten: what NGINX holds of /check's answer
     * ({@code subrequest_output_buffer_size 8m}), less room for the headers.
     */
    static final int MAX_FORWARDED_BYTES = 8_000_000;

    /** Assessment source types whose {@code source_id} names a judge or code, not a person (and their enum numbers). */
    private static final Set<String> NOT_A_PERSON = Set.of("LLM_JUDGE", "CODE", "AI_JUDGE");
    private static final Set<Integer> NOT_A_PERSON_NUMBERS = Set.of(2, 3);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Authors() {
    }

    /**
     * @param named  what the request names, read where MLflow reads it ({@link ObjectIds#readAll}): the
     *               keys of the tags it sets or deletes, and its body when that was read
     * @param caller the caller's user name
     * @return the body to forward instead of the request's own; empty when it already says what MLflow is to record
     * @throws BadRequestException when the request would change who an existing object records
     */
    public static Optional<byte[]> forward(Route route, MlflowRequest request, ObjectIds.Named named, String caller)
            throws BadRequestException {
        boolean inBody = false;
        boolean rewrites = false;
        for (Author author : route.authors()) {
            if (author.form() == Author.Form.TAG_KEY) {
                if (named.tagKeys().getOrDefault(author.field().name(), List.of()).contains(author.key())) {
                    throw refusedTag(author.key());
                }
            } else {
                inBody = true;
                rewrites |= !author.refused();
            }
        }
        if (!inBody) {
            return Optional.empty();
        }
        JsonBody read = named.body() != null ? named.body() : JsonBody.parse(request.body());
        // Refusals only read (log-batch, with its thousand metrics, is never copied).
        ObjectNode body = rewrites ? read.copy() : read.object();
        boolean changed = false;
        for (Author author : route.authors()) {
            if (author.form() != Author.Form.TAG_KEY) {
                changed |= edit(body, author.path().split("\\."), 0, author, caller);
            }
        }
        if (!changed) {
            return Optional.empty();
        }
        byte[] forwarded = JsonBody.write(body);
        if (forwarded.length > MAX_FORWARDED_BYTES) {
            throw new BadRequestException("The request is too large for the gateway to forward once it names the signed-in user;"
                    + " split it into smaller requests.");
        }
        return Optional.of(forwarded);
    }

    /** Puts the caller into the author field at {@code path[index]…} of the object; true when something changed. */
    private static boolean edit(ObjectNode object, String[] path, int index, Author author, String caller)
            throws BadRequestException {
        String segment = path[index];
        boolean each = segment.endsWith("[]");
        String name = each ? segment.substring(0, segment.length() - 2) : segment;
        String present = presentName(object, name);
        if (present == null || object.get(present).isNull()) {
            return false;
        }
        JsonNode value = object.get(present);
        boolean last = index == path.length - 1;
        if (last && author.form() == Author.Form.USER) {
            if (author.refused()) {
                throw new BadRequestException("'" + author.field().name() + "' says who did this: MLflow records the signed-in"
                        + " user, and a request may not name anyone.");
            }
            if (value.isTextual() && value.textValue().equals(caller)) {
                return false;
            }
            object.put(present, caller);
            return true;
        }
        if (value.isTextual()) {
            return editJsonText(object, present, path, index, author, caller);
        }
        if (last) {
            return switch (author.form()) {
                case TAG_LIST -> editTagList(value, author, caller);
                case TAG_MAP -> editTagMap(value, author, caller);
                case SOURCE -> editSource(value, author, caller);
                default -> throw new IllegalStateException(author.form().toString());
            };
        }
        if (!each) {
            return edit(requireObject(value, author), path, index + 1, author, caller);
        }
        if (!value.isArray()) {
            throw new BadRequestException("'" + author.field().name() + "' must be in a list of objects.");
        }
        boolean changed = false;
        for (JsonNode element : value) {
            changed |= edit(requireObject(element, author), path, index + 1, author, caller);
        }
        return changed;
    }

    /** A field that holds JSON as text, which MLflow reads with {@code json.loads}: edited as the JSON it holds. */
    private static boolean editJsonText(ObjectNode object, String present, String[] path, int index, Author author, String caller)
            throws BadRequestException {
        JsonNode decoded = JsonBody.parseText(object.get(present).textValue());
        if (decoded.isTextual()) {
            throw new BadRequestException("'" + present + "' must hold a JSON object or list.");
        }
        ObjectNode holder = NODES.objectNode();
        holder.set(present, decoded);
        String[] within = path.clone();
        within[index] = present + (path[index].endsWith("[]") ? "[]" : "");
        if (!edit(holder, within, index, author, caller)) {
            return false;
        }
        object.put(present, new String(JsonBody.write(holder.get(present)), StandardCharsets.UTF_8));
        return true;
    }

    /** MLflow's {@code [{"key": …, "value": …}]} (tags, a trace's metadata); the author given twice is refused (MLflow would keep the last). */
    private static boolean editTagList(JsonNode tags, Author author, String caller) throws BadRequestException {
        if (!tags.isArray()) {
            throw new BadRequestException("'" + author.field().name() + "' must be a list of tags.");
        }
        ObjectNode found = null;
        for (JsonNode element : tags) {
            ObjectNode tag = requireObject(element, author);
            String keyName = presentName(tag, "key");
            JsonNode key = keyName == null ? null : tag.get(keyName);
            if (key != null && key.isTextual() && key.textValue().equals(author.key())) {
                if (author.refused()) {
                    throw refusedTag(author.key());
                }
                if (found != null) {
                    throw new BadRequestException("The request gives the tag '" + author.key() + "' more than once.");
                }
                found = tag;
            }
        }
        return found != null && setText(found, "value", caller);
    }

    private static boolean editTagMap(JsonNode tags, Author author, String caller) throws BadRequestException {
        if (!tags.isObject()) {
            throw new BadRequestException("'" + author.field().name() + "' must be an object of tags.");
        }
        if (!tags.has(author.key())) {
            return false;
        }
        if (author.refused()) {
            throw refusedTag(author.key());
        }
        JsonNode value = tags.get(author.key());
        if (value.isTextual() && value.textValue().equals(caller)) {
            return false;
        }
        ((ObjectNode) tags).put(author.key(), caller);
        return true;
    }

    /** An assessment's source: a person's name unless a judge or code is the source. */
    private static boolean editSource(JsonNode source, Author author, String caller) throws BadRequestException {
        ObjectNode object = requireObject(source, author);
        String typeName = presentName(object, "source_type");
        JsonNode type = typeName == null ? null : object.get(typeName);
        if (type != null && (type.isTextual() && NOT_A_PERSON.contains(type.textValue())
                || type.isIntegralNumber() && NOT_A_PERSON_NUMBERS.contains(type.intValue()))) {
            return false;
        }
        return presentName(object, "source_id") != null && setText(object, "source_id", caller);
    }

    private static boolean setText(ObjectNode object, String field, String value) throws BadRequestException {
        String present = presentName(object, field);
        JsonNode current = present == null ? null : object.get(present);
        if (current != null && current.isTextual() && current.textValue().equals(value)) {
            return false;
        }
        object.put(present == null ? field : present, value);
        return true;
    }

    /** The spelling the request uses of a field MLflow reads in snake_case or camelCase; null when absent. */
    private static String presentName(ObjectNode object, String snake) throws BadRequestException {
        String camel = JsonBody.camelCase(snake);
        boolean hasSnake = object.has(snake);
        if (!camel.equals(snake) && object.has(camel)) {
            if (hasSnake) {
                throw new BadRequestException("The request gives both '" + snake + "' and '" + camel + "'; give only one.");
            }
            return camel;
        }
        return hasSnake ? snake : null;
    }

    private static ObjectNode requireObject(JsonNode value, Author author) throws BadRequestException {
        if (!value.isObject()) {
            throw new BadRequestException("'" + author.field().name() + "' must be in a JSON object.");
        }
        return (ObjectNode) value;
    }

    private static BadRequestException refusedTag(String key) {
        return new BadRequestException("'" + key + "' records who created an object: the gateway sets it to the"
                + " signed-in user when the object is created, and no request may set or delete it afterwards.");
    }
}
