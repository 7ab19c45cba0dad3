package io.github.mlflowkeycloak.route;

import java.util.Locale;

/**
 * A request field that names an object acted on, and where MLflow reads it.
 *
 * @param source where the field is read
 * @param name   the field's name as MLflow spells it (snake_case; a header name for HEADER)
 * @param listed whether MLflow reads every value the field is given as a list (the table's
 *               {@code name*}: a query parameter a handler reads with {@code getlist})
 */
public record RequestField(Source source, String name, boolean listed) {

    public RequestField(Source source, String name) {
        this(source, name, false);
    }

    public enum Source {
        /** A variable of the route's path. */
        PATH,
        /** MLflow's request-message rule: the query string of a GET that has one, else the JSON body. */
        REQUEST,
        /** Always the query string (handlers that read {@code request.args}). */
        QUERY,
        /** Always the JSON body. */
        BODY,
        /** A request header. */
        HEADER,
        /**
         * The spans of an OTLP trace export (protobuf or JSON, maybe compressed): the traces they add to
         * ({@code otlp:trace_ids}) and the trace tags their attributes set ({@code otlp:trace_tags}).
         */
        OTLP
    }

    /**
     * Fields whose name ends in {@code _ids}, that are read from each object of a list
     * ({@code locations[].…}), or that are the keys of an object ({@code tags{}}), are repeated:
     * several values are one list, not a conflict.
     */
    public boolean isRepeated() {
        return listed || name.endsWith("_ids") || name.contains("[]") || name.endsWith("{}");
    }

    /**
     * The table's notation: {@code name}, {@code query:name}, {@code body:name}, {@code header:Name}
     * or {@code otlp:trace_ids}; a trailing {@code *} for a field MLflow reads as a list.
     */
    static RequestField parse(String text, PathPattern path) {
        if (text.endsWith("*")) {
            RequestField field = parse(text.substring(0, text.length() - 1), path);
            return new RequestField(field.source(), field.name(), true);
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return new RequestField(path.variableNames().contains(text) ? Source.PATH : Source.REQUEST, text);
        }
        Source source = switch (text.substring(0, colon)) {
            case "query" -> Source.QUERY;
            case "body" -> Source.BODY;
            case "header" -> Source.HEADER;
            case "otlp" -> Source.OTLP;
            default -> throw new IllegalArgumentException("unknown id source in " + text);
        };
        String name = text.substring(colon + 1);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty id name in " + text);
        }
        if (source == Source.OTLP && !name.equals("trace_ids") && !name.equals("trace_tags")) {
            throw new IllegalArgumentException("an OTLP export names its trace_ids and trace_tags only: " + text);
        }
        return new RequestField(source, source == Source.HEADER ? name.toLowerCase(Locale.ROOT) : name);
    }
}
