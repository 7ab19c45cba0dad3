package io.github.mlflowkeycloak.request;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A protobuf message of MLflow's requests, as ParseDict reads it: field by field, or, for the
 * well-known types that have a JSON form of their own, by that form. Messages refer to each other
 * (and to themselves), so a message is made first and given its fields once all exist.
 */
final class ProtoMessage {

    enum Form {
        FIELDS, VALUE, STRUCT, LIST_VALUE, TIMESTAMP, DURATION, FIELD_MASK;

        /** The form the generator names ({@code mlflow_messages.py}); absent for a plain message. */
        static Form of(String wellKnown) {
            return switch (wellKnown) {
                case "value" -> VALUE;
                case "struct" -> STRUCT;
                case "listValue" -> LIST_VALUE;
                case "timestamp" -> TIMESTAMP;
                case "duration" -> DURATION;
                case "fieldMask" -> FIELD_MASK;
                default -> throw new IllegalArgumentException("ProtoJson does not read the well-known form " + wellKnown);
            };
        }
    }

    private final String name;
    private final Form form;
    private final List<ProtoField> fields = new ArrayList<>();
    private final List<ProtoField> fieldsInOrder = Collections.unmodifiableList(fields);
    private final Map<String, ProtoField> byJsonName = new HashMap<>();
    private final Map<String, ProtoField> byName = new HashMap<>();

    ProtoMessage(String name, Form form) {
        this.name = name;
        this.form = form;
    }

    void add(ProtoField field) {
        fields.add(field);
        byJsonName.put(field.jsonName(), field);
        byName.put(field.name(), field);
    }

    String name() {
        return name;
    }

    Form form() {
        return form;
    }

    /** The fields in the descriptor's order, the order MLflow reads a GET's query string in. */
    List<ProtoField> fields() {
        return fieldsInOrder;
    }

    /** The field a JSON key names: ParseDict tries the JSON name first, then the proto name. */
    ProtoField field(String key) {
        ProtoField field = byJsonName.get(key);
        return field != null ? field : byName.get(key);
    }

    @Override
    public String toString() {
        return name;
    }
}
