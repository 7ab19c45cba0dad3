package io.github.mlflowkeycloak.graphql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Random GraphQL requests for MLflow's schema, as JSON bodies for /graphql: mostly valid, with
 * the tricks that could make a reader see other ids than MLflow's resolvers receive. Every id is
 * new ("alice1", "bob2", ...), so that any id checked in place of another shows.
 */
final class RandomGraphQlRequests {

    /** What a request was made with; a test counts them to show the generator reaches them. */
    enum Feature {
        DEFAULT, NULL_VARIABLE, ABSENT_VARIABLE, WRONG_TYPE, LIST_COERCION, VARIABLE_IN_LIST, VARIABLE_IN_OBJECT,
        INPUT_VARIABLE, INPUT_DEFAULT, FRAGMENT, SHARED_FRAGMENT, INLINE_FRAGMENT, ALIAS, SKIP_OR_INCLUDE,
        SEVERAL_OPERATIONS, OPERATION_NAME_MISSING, ESCAPE, BLOCK_STRING, DUPLICATE_KEY, LITERAL_OF_OTHER_KIND
    }

    record Request(String body, Set<Feature> features) {
    }

    /** What the input of a top-level field holds: ids, a list of ids, or something else. */
    private enum Kind { ID, IDS, TEXT, INT, ENUM, TEXTS }

    private record InputField(String name, Kind kind) {
    }

    /** A top-level field of MLflow's schema; {@code input} null: it takes no input. */
    private record TopField(String name, boolean query, boolean mutation, String inputType, List<InputField> input,
            String selection) {
    }

    private static final List<TopField> FIELDS = List.of(
            new TopField("mlflowGetExperiment", true, false, "MlflowGetExperimentInput",
                    List.of(new InputField("experimentId", Kind.ID)), "{ experiment { name } }"),
            new TopField("mlflowGetRun", true, false, "MlflowGetRunInput",
                    List.of(new InputField("runId", Kind.ID), new InputField("runUuid", Kind.ID)), "{ run { info { runUuid } } }"),
            new TopField("mlflowListArtifacts", true, false, "MlflowListArtifactsInput",
                    List.of(new InputField("runId", Kind.ID), new InputField("runUuid", Kind.ID), new InputField("path", Kind.TEXT)),
                    "{ files { path } }"),
            new TopField("mlflowGetMetricHistoryBulkInterval", true, false, "MlflowGetMetricHistoryBulkIntervalInput",
                    List.of(new InputField("runIds", Kind.IDS), new InputField("metricKey", Kind.TEXT),
                            new InputField("maxResults", Kind.INT)), "{ metrics { key } }"),
            new TopField("mlflowSearchRuns", true, true, "MlflowSearchRunsInput",
                    List.of(new InputField("experimentIds", Kind.IDS), new InputField("filter", Kind.TEXT),
                            new InputField("runViewType", Kind.ENUM), new InputField("orderBy", Kind.TEXTS)),
                    "{ runs { info { runUuid } } }"),
            new TopField("mlflowSearchDatasets", false, true, "MlflowSearchDatasetsInput",
                    List.of(new InputField("experimentIds", Kind.IDS)), "{ datasetSummaries { name } }"),
            new TopField("mlflowSearchModelVersions", true, false, "MlflowSearchModelVersionsInput",
                    List.of(new InputField("filter", Kind.TEXT), new InputField("orderBy", Kind.TEXTS)), "{ modelVersions { name } }"),
            new TopField("test", true, false, null, List.of(), "{ output }"),
            new TopField("testMutation", false, true, null, List.of(), "{ output }"),
            new TopField("__typename", true, true, null, List.of(), ""));
    private static final String[] INPUT_TYPES = FIELDS.stream().filter(f -> f.inputType() != null)
            .map(TopField::inputType).toArray(String[]::new);

    private final Random random;
    private int ids;
    private int names;

    /** What is being built: one request. */
    private Set<Feature> features;
    private List<String[]> variableValues;
    private List<String> fragments;
    private List<Integer> fragmentNames;
    /** Whether the request gives variables: without, every variable takes its default in whichever operation runs. */
    private boolean givesVariables;

    RandomGraphQlRequests(Random random) {
        this.random = random;
    }

    Request next() {
        features = EnumSet.noneOf(Feature.class);
        variableValues = new ArrayList<>();
        fragments = new ArrayList<>();
        fragmentNames = new ArrayList<>();
        givesVariables = chance(70);
        int count = chance(50) ? 1 : chance(65) ? 2 : 3;
        if (count > 1) {
            features.add(Feature.SEVERAL_OPERATIONS);
        }
        List<String> operationNames = new ArrayList<>();
        StringBuilder document = new StringBuilder(chance(2) ? "\uFEFF" : "");
        for (int i = 0; i < count; i++) {
            String name = count == 1 && chance(40) ? null : "Q" + i;
            operationNames.add(name);
            document.append(operation(name)).append('\n');
        }
        fragments.forEach(fragment -> document.append(fragment).append('\n'));
        String operationName = operationName(operationNames);
        StringBuilder body = new StringBuilder("{\"query\": ").append(json(document.toString()));
        if (chance(1)) {
            features.add(Feature.DUPLICATE_KEY);
            body.append(", \"query\": ").append(json("{ mlflowGetRun(input: {runId: \"" + id() + "\"}) { run { info { runUuid } } } }"));
        }
        if (operationName != null || chance(50)) {
            body.append(", \"operationName\": ").append(operationName == null ? "null" : json(operationName));
        }
        String variables = variables();
        if (variables != null) {
            body.append(", \"variables\": ").append(variables);
        }
        return new Request(body.append('}').toString(), features);
    }

    /** Mostly the name of one of the operations; sometimes none, an unknown one, or "". */
    private String operationName(List<String> names) {
        List<String> named = names.stream().filter(name -> name != null).toList();
        int choice = random.nextInt(100);
        if (choice < 5) {
            return "Nowhere";
        }
        if (choice < 8) {
            return "";
        }
        if (named.isEmpty() || choice < 18) {
            features.add(Feature.OPERATION_NAME_MISSING);
            return null;
        }
        return named.get(random.nextInt(named.size()));
    }

    /** One operation, with the variables its values declare. */
    private String operation(String name) {
        boolean query = chance(80);
        Operation operation = new Operation(query ? "Query" : "Mutation");
        StringBuilder selection = new StringBuilder("{");
        int items = 1 + random.nextInt(3);
        for (int i = 0; i < items; i++) {
            selection.append(' ').append(selectionItem(operation, query));
        }
        selection.append(" }");
        StringBuilder text = new StringBuilder(chance(5) ? "# { mlflowGetRun(input: {runId: \"" + id() + "\"}) }\n" : "");
        if (name == null && operation.definitions.isEmpty() && query && chance(50)) {
            return text.append(selection).toString();
        }
        text.append(query ? "query" : "mutation");
        if (name != null) {
            text.append(' ').append(name);
        }
        if (!operation.definitions.isEmpty()) {
            text.append('(').append(String.join(", ", operation.definitions)).append(')');
        }
        if (chance(10)) {
            text.append(" @component(name: \"MLflow.Test\")");
        }
        return text.append(' ').append(selection).toString();
    }

    /** The variables an operation declares; their values go to the request's variables. */
    private final class Operation {
        private final String rootType;
        private final List<String> definitions = new ArrayList<>();
        /** The names of the fields selected so far: a second field of a name needs the same arguments, or an alias. */
        private final Set<String> responseNames = new HashSet<>();

        Operation(String rootType) {
            this.rootType = rootType;
        }

        /**
         * Declares a variable: its name, for {@code $name}. Operations name their variables alike
         * (s0, s1, ... for strings; l for lists, i for inputs, b for booleans), so that a variable
         * is often defined by several operations, with other defaults.
         */
        String declare(String type, String defaultValue, String jsonValue) {
            String prefix = type.startsWith("[") ? "l" : type.startsWith("Mlflow") ? "i" : type.startsWith("Boolean") ? "b" : "s";
            String name = prefix + definitions.stream().filter(definition -> definition.startsWith("$" + prefix)).count();
            definitions.add("$" + name + ": " + type + (defaultValue == null ? "" : " = " + defaultValue));
            if (defaultValue != null) {
                features.add(Feature.DEFAULT);
            }
            if (jsonValue == null || !givesVariables) {
                features.add(Feature.ABSENT_VARIABLE);
            } else {
                if (jsonValue.equals("null")) {
                    features.add(Feature.NULL_VARIABLE);
                }
                variableValues.add(new String[] {name, jsonValue});
            }
            return "$" + name;
        }
    }

    private String selectionItem(Operation operation, boolean query) {
        int choice = random.nextInt(100);
        if (choice < 6 && !fragments.isEmpty()) {
            // A fragment already defined, perhaps by another operation: its variables are those of the operation run.
            features.add(Feature.SHARED_FRAGMENT);
            return "...F" + fragmentNames.get(random.nextInt(fragmentNames.size()));
        }
        if (choice < 12) {
            features.add(Feature.FRAGMENT);
            int number = names++;
            fragmentNames.add(number);
            String name = "F" + number;
            String type = chance(95) ? operation.rootType : query ? "Mutation" : "Query";
            fragments.add("fragment " + name + " on " + type + " { " + field(operation, query) + " }");
            return "..." + name;
        }
        if (choice < 24) {
            features.add(Feature.INLINE_FRAGMENT);
            return "..." + (chance(70) ? " on " + operation.rootType : "") + " { " + field(operation, query) + " }";
        }
        return field(operation, query);
    }

    private String field(Operation operation, boolean query) {
        List<TopField> candidates = FIELDS.stream().filter(f -> chance(1) || (query ? f.query() : f.mutation())).toList();
        TopField field = candidates.get(random.nextInt(candidates.size()));
        StringBuilder text = new StringBuilder();
        if (chance(25) || operation.responseNames.contains(field.name()) && chance(90)) {
            features.add(Feature.ALIAS);
            String alias = chance(20) ? FIELDS.get(random.nextInt(FIELDS.size())).name() : "a" + names++;
            operation.responseNames.add(alias);
            text.append(alias).append(": ");
        } else {
            operation.responseNames.add(field.name());
        }
        text.append(field.name());
        if (field.name().startsWith("test")) {
            text.append("(inputString: \"x\")");
        } else if (field.inputType() != null && !chance(5)) {
            text.append("(input: ").append(input(operation, field)).append(')');
        }
        if (chance(2)) {
            features.add(Feature.SKIP_OR_INCLUDE);
            String condition = chance(50) ? String.valueOf(random.nextBoolean())
                    : operation.declare("Boolean", chance(50) ? String.valueOf(random.nextBoolean()) : null,
                            chance(50) ? String.valueOf(random.nextBoolean()) : null);
            text.append(chance(50) ? " @skip(if: " : " @include(if: ").append(condition).append(')');
        }
        return text.append(' ').append(field.selection()).toString();
    }

    private String input(Operation operation, TopField field) {
        int choice = random.nextInt(100);
        if (choice < 3) {
            return "null";
        }
        if (choice < 28) {
            features.add(Feature.INPUT_VARIABLE);
            String type = chance(95) ? field.inputType() : INPUT_TYPES[random.nextInt(INPUT_TYPES.length)];
            String defaultValue = null;
            if (chance(40)) {
                features.add(Feature.INPUT_DEFAULT);
                defaultValue = chance(90) ? objectLiteral(null, field) : "null";
            }
            return operation.declare(type + (chance(10) ? "!" : ""), defaultValue, jsonInput(field));
        }
        return objectLiteral(operation, field);
    }

    /** An input object literal; with no operation, a constant (a default value): no variables. */
    private String objectLiteral(Operation operation, TopField field) {
        List<String> entries = new ArrayList<>();
        for (InputField inputField : field.input()) {
            boolean namesObjects = inputField.kind() == Kind.ID || inputField.kind() == Kind.IDS;
            if (chance(namesObjects ? 80 : 25)) {
                String value = literal(operation, inputField.kind());
                if (value.startsWith("$")) {
                    features.add(Feature.VARIABLE_IN_OBJECT);
                }
                entries.add(inputField.name() + ": " + value);
            }
        }
        if (!entries.isEmpty() && chance(3)) {
            features.add(Feature.DUPLICATE_KEY);
            InputField first = field.input().get(0);
            entries.add(first.name() + ": " + literal(operation, first.kind()));
        }
        if (chance(2)) {
            entries.add("unknownField: \"" + id() + "\"");
        }
        Collections.shuffle(entries, random);
        return "{" + String.join(", ", entries) + "}";
    }

    private String literal(Operation operation, Kind kind) {
        return switch (kind) {
            case ID -> idValue(operation);
            case IDS -> idsValue(operation);
            case TEXT -> "\"x\"";
            case INT -> chance(95) ? "5" : "\"5\"";
            case ENUM -> chance(95) ? "ACTIVE_ONLY" : "\"ACTIVE_ONLY\"";
            case TEXTS -> chance(50) ? "[\"x\"]" : "\"x\"";
        };
    }

    /** A value where MLflow's schema expects a String that names an object. */
    private String idValue(Operation operation) {
        int choice = random.nextInt(100);
        if (choice < 45 || operation == null && choice < 80) {
            return stringLiteral(id());
        }
        if (choice < 80) {
            return stringVariable(operation);
        }
        if (choice < 96) {
            return "null";
        }
        features.add(Feature.LITERAL_OF_OTHER_KIND);
        return switch (random.nextInt(5)) {
            case 0 -> "5";
            case 1 -> "1.5e3";
            case 2 -> id();
            case 3 -> "true";
            default -> chance(50) ? "[" + stringLiteral(id()) + "]" : "{runId: " + stringLiteral(id()) + "}";
        };
    }

    private String stringVariable(Operation operation) {
        String type = chance(90) ? (chance(75) ? "String" : "String!") : wrongType("ID", "Int", "[String]", "Boolean");
        String defaultValue = chance(50) ? (chance(90) ? stringLiteral(id()) : chance(50) ? "null" : "5") : null;
        return operation.declare(type, defaultValue, jsonString());
    }

    /** A value where MLflow's schema expects a list of Strings that name objects. */
    private String idsValue(Operation operation) {
        int choice = random.nextInt(100);
        if (choice < 40 || operation == null && choice < 70) {
            StringBuilder list = new StringBuilder("[");
            int items = random.nextInt(4);
            for (int i = 0; i < items; i++) {
                String item = idValue(operation);
                if (item.startsWith("$")) {
                    features.add(Feature.VARIABLE_IN_LIST);
                }
                list.append(i == 0 ? "" : ", ").append(item);
            }
            return list.append(']').toString();
        }
        if (choice < 55 || operation == null && choice < 85) {
            features.add(Feature.LIST_COERCION);
            return stringLiteral(id());
        }
        if (choice < 85) {
            String type = chance(90) ? pick("[String]", "[String]", "[String!]", "[String]!", "[String!]!")
                    : wrongType("String", "[Int]", "[[String]]", "[ID]");
            String defaultValue = chance(50) ? idsLiteral() : null;
            return operation.declare(type, defaultValue, jsonIds());
        }
        if (choice < 97) {
            return "null";
        }
        features.add(Feature.LITERAL_OF_OTHER_KIND);
        return pick("5", "{experimentIds: \"" + id() + "\"}", "[[" + stringLiteral(id()) + "]]", "[5]");
    }

    /** A constant list of ids, for a default value. */
    private String idsLiteral() {
        return switch (random.nextInt(5)) {
            case 0 -> stringLiteral(id());
            case 1 -> "null";
            case 2 -> "[]";
            default -> "[" + stringLiteral(id()) + (chance(50) ? ", " + stringLiteral(id()) : "") + (chance(10) ? ", null" : "") + "]";
        };
    }

    private String wrongType(String... types) {
        features.add(Feature.WRONG_TYPE);
        return pick(types);
    }

    /** The variable's value in the request, as JSON; null: not given. */
    private String jsonString() {
        int choice = random.nextInt(100);
        if (choice < 40) {
            return null;
        }
        if (choice < 82) {
            return json(id());
        }
        if (choice < 92) {
            return "null";
        }
        features.add(Feature.WRONG_TYPE);
        return pick("5", "true", "[" + json(id()) + "]", "{\"runId\": " + json(id()) + "}");
    }

    private String jsonIds() {
        int choice = random.nextInt(100);
        if (choice < 35) {
            return null;
        }
        if (choice < 65) {
            return "[" + json(id()) + (chance(60) ? ", " + json(id()) : "") + (chance(10) ? ", null" : "") + "]";
        }
        if (choice < 80) {
            features.add(Feature.LIST_COERCION);
            return json(id());
        }
        if (choice < 90) {
            return chance(50) ? "null" : "[]";
        }
        features.add(Feature.WRONG_TYPE);
        return pick("[5]", "[[" + json(id()) + "]]", "{\"a\": " + json(id()) + "}", "true");
    }

    private String jsonInput(TopField field) {
        int choice = random.nextInt(100);
        if (choice < 30) {
            return null;
        }
        if (choice < 40) {
            return "null";
        }
        if (choice < 45) {
            features.add(Feature.WRONG_TYPE);
            return pick(json(id()), "[{}]", "5");
        }
        List<String> entries = new ArrayList<>();
        for (InputField inputField : field.input()) {
            if (inputField.kind() == Kind.ID && chance(80)) {
                entries.add(json(key(inputField.name())) + ": " + jsonIdOrOther());
            } else if (inputField.kind() == Kind.IDS && chance(80)) {
                String ids = jsonIds();
                entries.add(json(key(inputField.name())) + ": " + (ids == null ? "[]" : ids));
            } else if (inputField.kind() == Kind.TEXT && chance(20)) {
                entries.add(json(inputField.name()) + ": \"x\"");
            }
        }
        if (!entries.isEmpty() && chance(3)) {
            features.add(Feature.DUPLICATE_KEY);
            entries.add(entries.get(0).replaceFirst(":.*", ": ") + json(id()));
        }
        return "{" + String.join(", ", entries) + "}";
    }

    /** Mostly the GraphQL name; sometimes the snake_case name, which the input type does not define. */
    private String key(String name) {
        return chance(95) ? name : name.replaceAll("([A-Z])", "_$1").toLowerCase();
    }

    private String jsonIdOrOther() {
        String value = jsonString();
        return value == null ? json(id()) : value;
    }

    /** The request's variables: an object with each value given, sometimes with a duplicate or unused one. */
    private String variables() {
        int choice = random.nextInt(100);
        if (choice < 2) {
            return pick("[]", "\"x\"");
        }
        if (variableValues.isEmpty() && choice < 50) {
            return choice < 25 ? null : "null";
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> entries = new ArrayList<>();
        for (String[] value : variableValues) {
            // Operations number their variables alike: the first value given for a name is the one sent.
            if (values.putIfAbsent(value[0], value[1]) == null) {
                entries.add(json(value[0]) + ": " + value[1]);
            } else if (chance(5)) {
                features.add(Feature.DUPLICATE_KEY);
                entries.add(json(value[0]) + ": " + value[1]);
            }
        }
        if (chance(10)) {
            entries.add("\"unused\": " + json(id()));
        }
        return "{" + String.join(", ", entries) + "}";
    }

    /** A GraphQL string literal of the id, sometimes escaped or as a block string. */
    private String stringLiteral(String id) {
        int choice = random.nextInt(100);
        if (choice < 60) {
            return "\"" + id + "\"";
        }
        if (choice < 70) {
            features.add(Feature.BLOCK_STRING);
            return pick("\"\"\"" + id + "\"\"\"", "\"\"\"\n    " + id + "\n  \"\"\"", "\"\"\"  " + id + "\n   \t\"\"\"",
                    "\"\"\"\r\n  " + id + "\r\n   x\\\"\"\"\"\"\"");
        }
        features.add(Feature.ESCAPE);
        String rest = id.substring(1);
        return switch (random.nextInt(7)) {
            case 0 -> "\"\\u" + String.format("%04x", (int) id.charAt(0)) + rest + "\"";
            case 1 -> "\"\\u{" + Integer.toHexString(id.charAt(0)) + "}" + rest + "\"";
            case 2 -> "\"" + id + "\\uD83D\\uDE00\"";
            case 3 -> "\"" + id + "\\u{1F600}\"";
            case 4 -> "\"" + id + (chance(20) ? "\\uD800\"" : "\\uDBFF\\uDFFF\"");
            case 5 -> "\"" + id + "\\/\\\"\\\\\\n\\t\"";
            default -> "\"" + id + "\u00e9\uD83D\uDE00\"";
        };
    }

    /** A new id: alice's or bob's, never the same twice. */
    private String id() {
        return (random.nextBoolean() ? "alice" : "bob") + ids++;
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    private String pick(String... values) {
        return values[random.nextInt(values.length)];
    }

    private static String json(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
