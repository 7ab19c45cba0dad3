package io.github.mlflowkeycloak.graphql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * Just enough of a GraphQL parser to tell which fields a request selects and with which
 * arguments: operations with their variables, fields (with aliases, arguments, and directives),
 * fragment spreads and inline fragments; argument values with the variables put in as
 * graphql-core puts them in, from the request's variables or the operation's defaults.
 * Directives are read past: every field selected counts, even one that {@code @skip} or
 * {@code @include} would leave out (MLflow's schema declares neither, so its validation refuses
 * them; were they run, checking a field left out could only refuse more). Anything it cannot parse
 * is refused: an authorization check that guesses at a query the server reads differently would
 * be a bypass.
 */
public final class GraphQlDocument {

    /**
     * A selected field, with what is selected of it (fragments spread out).
     *
     * @param name      its name in the schema
     * @param alias     the name it is given in the answer, or null
     * @param arguments its arguments, variables replaced by their values; an argument whose
     *                  variable has no value is left out, as graphql-core leaves it out
     * @param selection the fields selected of it
     */
    public record SelectedField(String name, String alias, Map<String, GraphQlValue> arguments, List<SelectedField> selection) {
    }

    private static final int MAX_DEPTH = 64;

    private final List<Token> tokens;
    private int position;
    private final Map<String, List<Object>> fragments = new HashMap<>();
    private final List<Operation> operations = new ArrayList<>();

    private GraphQlDocument(List<Token> tokens) {
        this.tokens = tokens;
    }

    /**
     * The fields the request selects at the top of the operation the server will run: the one
     * named {@code operationName}, or the only one when it is null.
     *
     * @param variables the request's variables: an object, or null for none
     */
    public static List<SelectedField> selectedFields(String query, String operationName, JsonNode variables)
            throws GraphQlException {
        if (variables != null && !variables.isNull() && !variables.isObject()) {
            throw new GraphQlException("the variables must be a JSON object");
        }
        GraphQlDocument document = new GraphQlDocument(Token.lex(query));
        document.parseDocument();
        Operation operation = document.operation(operationName);
        Variables values = Variables.of(operation.variables(), variables == null ? NullNode.getInstance() : variables);
        return document.resolve(operation.selection(), values, new LinkedHashSet<>(), 0);
    }

    /** The operation graphql-core runs: with no operationName the only one; else the one of that name (never an anonymous one). */
    private Operation operation(String operationName) throws GraphQlException {
        if (operationName == null) {
            if (operations.size() != 1) {
                throw new GraphQlException("the document has " + operations.size() + " operations and no operationName");
            }
            return operations.get(0);
        }
        for (Operation operation : operations) {
            if (operationName.equals(operation.name())) {
                return operation;
            }
        }
        throw new GraphQlException("no operation named '" + operationName + "'");
    }

    /** An operation: its name (null: anonymous), the default value of each variable (null: none), what it selects. */
    private record Operation(String name, Map<String, GraphQlValue> variables, List<Object> selection) {
    }

    /**
     * The variables of the operation run, as graphql-core's get_variable_values makes them: the
     * value given in the request, null included; else the default value; else none.
     *
     * @param defined the operation's variables: using another one is refused, as graphql-core's
     *                validation refuses it
     * @param values  the variables that have a value
     */
    private record Variables(Set<String> defined, Map<String, GraphQlValue> values) {

        static Variables of(Map<String, GraphQlValue> defaults, JsonNode given) {
            Map<String, GraphQlValue> values = new HashMap<>();
            defaults.forEach((name, defaultValue) -> {
                JsonNode value = given.get(name);
                if (value != null) {
                    values.put(name, GraphQlValue.of(value));
                } else if (defaultValue != null) {
                    values.put(name, defaultValue);
                }
            });
            return new Variables(defaults.keySet(), values);
        }

        /** The variable's value; empty if it has none. */
        Optional<GraphQlValue> valueOf(String name) throws GraphQlException {
            if (!defined.contains(name)) {
                throw new GraphQlException("the variable $" + name + " is not defined by the operation");
            }
            return Optional.ofNullable(values.get(name));
        }
    }

    /** The selection with its fragments spread out and the variables in its arguments replaced. */
    private List<SelectedField> resolve(List<Object> selection, Variables variables, Set<String> spreading, int depth)
            throws GraphQlException {
        List<SelectedField> fields = new ArrayList<>();
        collect(selection, variables, fields, spreading, depth);
        return fields;
    }

    private void collect(List<Object> selection, Variables variables, List<SelectedField> fields, Set<String> spreading, int depth)
            throws GraphQlException {
        if (depth > MAX_DEPTH) {
            throw new GraphQlException("the query is nested too deeply");
        }
        for (Object item : selection) {
            if (item instanceof Field field) {
                Map<String, GraphQlValue> arguments = new LinkedHashMap<>();
                for (Map.Entry<String, GraphQlValue> argument : field.arguments().entrySet()) {
                    Optional<GraphQlValue> value = resolve(argument.getValue(), variables);
                    if (value.isPresent()) {
                        arguments.put(argument.getKey(), value.get());
                    }
                }
                fields.add(new SelectedField(field.name(), field.alias(), arguments,
                        resolve(field.selection(), variables, spreading, depth + 1)));
            } else if (item instanceof Spread spread) {
                List<Object> fragment = fragments.get(spread.fragment());
                if (fragment == null) {
                    throw new GraphQlException("unknown fragment " + spread.fragment());
                }
                if (!spreading.add(spread.fragment())) {
                    throw new GraphQlException("fragment " + spread.fragment() + " spreads itself");
                }
                collect(fragment, variables, fields, spreading, depth + 1);
                spreading.remove(spread.fragment());
            } else if (item instanceof InlineFragment inline) {
                collect(inline.selection(), variables, fields, spreading, depth + 1);
            }
        }
    }

    /**
     * The value with its variables replaced, as graphql-core's value_from_ast does: a variable
     * with no value leaves an input field out (empty here) and is null in a list.
     */
    private static Optional<GraphQlValue> resolve(GraphQlValue value, Variables variables) throws GraphQlException {
        if (value instanceof GraphQlValue.Variable variable) {
            return variables.valueOf(variable.name());
        }
        if (value instanceof GraphQlValue.ListOf list) {
            List<GraphQlValue> items = new ArrayList<>();
            for (GraphQlValue item : list.items()) {
                items.add(resolve(item, variables).orElse(GraphQlValue.NULL));
            }
            return Optional.of(new GraphQlValue.ListOf(items));
        }
        if (value instanceof GraphQlValue.InputObject object) {
            Map<String, GraphQlValue> fields = new LinkedHashMap<>();
            for (Map.Entry<String, GraphQlValue> field : object.fields().entrySet()) {
                Optional<GraphQlValue> fieldValue = resolve(field.getValue(), variables);
                if (fieldValue.isPresent()) {
                    fields.put(field.getKey(), fieldValue.get());
                }
            }
            return Optional.of(new GraphQlValue.InputObject(fields));
        }
        return Optional.of(value);
    }

    private record Field(String name, String alias, Map<String, GraphQlValue> arguments, List<Object> selection) {
    }

    private record Spread(String fragment) {
    }

    private record InlineFragment(List<Object> selection) {
    }

    private void parseDocument() throws GraphQlException {
        if (tokens.isEmpty()) {
            throw new GraphQlException("the query is empty");
        }
        Set<String> operationNames = new LinkedHashSet<>();
        while (position < tokens.size()) {
            Token token = peek();
            if (token.isPunctuator("{")) {
                operations.add(new Operation(null, Map.of(), parseSelectionSet(0)));
            } else if (token.isName("query") || token.isName("mutation") || token.isName("subscription")) {
                next();
                String name = peek() != null && peek().kind() == Token.Kind.NAME ? next().text() : null;
                if (name != null && !operationNames.add(name)) {
                    throw new GraphQlException("operation '" + name + "' is defined twice");
                }
                Map<String, GraphQlValue> variables = peek() != null && peek().isPunctuator("(") ? parseVariableDefinitions() : Map.of();
                skipDirectives();
                operations.add(new Operation(name, variables, parseSelectionSet(0)));
            } else if (token.isName("fragment")) {
                next();
                String name = expectName();
                expectName("on");
                expectName();
                skipDirectives();
                if (fragments.put(name, parseSelectionSet(0)) != null) {
                    throw new GraphQlException("fragment " + name + " is defined twice");
                }
            } else {
                throw new GraphQlException("unexpected " + token.text() + " in the document");
            }
        }
        if (operations.size() > 1 && operations.stream().anyMatch(operation -> operation.name() == null)) {
            throw new GraphQlException("an anonymous operation must be the only one");
        }
    }

    /** {@code ($name: Type = default @directive ...)}: each variable with its default value (null: none). */
    private Map<String, GraphQlValue> parseVariableDefinitions() throws GraphQlException {
        expectPunctuator("(");
        Map<String, GraphQlValue> variables = new HashMap<>();
        do {
            expectPunctuator("$");
            String name = expectName();
            expectPunctuator(":");
            parseType(0);
            GraphQlValue defaultValue = null;
            if (peekRequired().isPunctuator("=")) {
                next();
                defaultValue = parseValue(true, 0);
            }
            skipDirectives();
            if (variables.containsKey(name)) {
                throw new GraphQlException("the variable $" + name + " is defined twice");
            }
            variables.put(name, defaultValue);
        } while (!peekRequired().isPunctuator(")"));
        next();
        return variables;
    }

    /** A variable's type: a name, or a list of a type, each perhaps followed by {@code !}. */
    private void parseType(int depth) throws GraphQlException {
        if (depth > MAX_DEPTH) {
            throw new GraphQlException("the query is nested too deeply");
        }
        if (peekRequired().isPunctuator("[")) {
            next();
            parseType(depth + 1);
            expectPunctuator("]");
        } else {
            expectName();
        }
        if (peek() != null && peek().isPunctuator("!")) {
            next();
        }
    }

    private List<Object> parseSelectionSet(int depth) throws GraphQlException {
        if (depth > MAX_DEPTH) {
            throw new GraphQlException("the query is nested too deeply");
        }
        expectPunctuator("{");
        List<Object> selection = new ArrayList<>();
        while (!peekRequired().isPunctuator("}")) {
            if (peek().isPunctuator("...")) {
                next();
                if (peekRequired().kind() == Token.Kind.NAME && !peek().isName("on")) {
                    selection.add(new Spread(next().text()));
                    skipDirectives();
                } else {
                    if (peek().isName("on")) {
                        next();
                        expectName();
                    }
                    skipDirectives();
                    selection.add(new InlineFragment(parseSelectionSet(depth + 1)));
                }
            } else {
                String name = expectName();
                String alias = null;
                if (peekRequired().isPunctuator(":")) {
                    next();
                    alias = name;
                    name = expectName();
                }
                Map<String, GraphQlValue> arguments = peekRequired().isPunctuator("(") ? parseArguments(depth + 1) : Map.of();
                skipDirectives();
                List<Object> subSelection = peekRequired().isPunctuator("{") ? parseSelectionSet(depth + 1) : List.of();
                selection.add(new Field(name, alias, arguments, subSelection));
            }
        }
        next();
        if (selection.isEmpty()) {
            throw new GraphQlException("empty selection set");
        }
        return selection;
    }

    private Map<String, GraphQlValue> parseArguments(int depth) throws GraphQlException {
        expectPunctuator("(");
        Map<String, GraphQlValue> arguments = new LinkedHashMap<>();
        while (!peekRequired().isPunctuator(")")) {
            String name = expectName();
            expectPunctuator(":");
            if (arguments.containsKey(name)) {
                throw new GraphQlException("argument " + name + " is given twice");
            }
            arguments.put(name, parseValue(false, depth + 1));
        }
        next();
        return arguments;
    }

    /** A value as GraphQL reads it; a constant (a variable's default value) holds no variable. */
    private GraphQlValue parseValue(boolean constant, int depth) throws GraphQlException {
        if (depth > MAX_DEPTH) {
            throw new GraphQlException("the query is nested too deeply");
        }
        Token token = next();
        if (token == null) {
            throw new GraphQlException("the query ends too early");
        }
        switch (token.kind()) {
            case STRING:
                return new GraphQlValue.Text(token.text());
            case NUMBER:
                return new GraphQlValue.OtherScalar(token.text());
            case NAME:
                return token.isName("null") ? GraphQlValue.NULL : new GraphQlValue.OtherScalar(token.text());
            default:
                break;
        }
        if (token.isPunctuator("$") && !constant) {
            return new GraphQlValue.Variable(expectName());
        }
        if (token.isPunctuator("[")) {
            List<GraphQlValue> items = new ArrayList<>();
            while (!peekRequired().isPunctuator("]")) {
                items.add(parseValue(constant, depth + 1));
            }
            next();
            return new GraphQlValue.ListOf(items);
        }
        if (token.isPunctuator("{")) {
            Map<String, GraphQlValue> fields = new LinkedHashMap<>();
            while (!peekRequired().isPunctuator("}")) {
                String name = expectName();
                expectPunctuator(":");
                if (fields.containsKey(name)) {
                    throw new GraphQlException("input field " + name + " is given twice");
                }
                fields.put(name, parseValue(constant, depth + 1));
            }
            next();
            return new GraphQlValue.InputObject(fields);
        }
        throw new GraphQlException("unexpected " + token.text() + " in a value");
    }

    private void skipDirectives() throws GraphQlException {
        while (peek() != null && peek().isPunctuator("@")) {
            next();
            expectName();
            if (peek() != null && peek().isPunctuator("(")) {
                skipBalanced("(", ")");
            }
        }
    }

    /** Skips a directive's arguments: they never name objects. */
    private void skipBalanced(String open, String close) throws GraphQlException {
        expectPunctuator(open);
        int depth = 1;
        while (depth > 0) {
            Token token = next();
            if (token == null) {
                throw new GraphQlException("unbalanced " + open);
            }
            if (token.isPunctuator("(") || token.isPunctuator("[") || token.isPunctuator("{")) {
                depth++;
            } else if (token.isPunctuator(")") || token.isPunctuator("]") || token.isPunctuator("}")) {
                depth--;
            }
            if (depth > MAX_DEPTH) {
                throw new GraphQlException("the query is nested too deeply");
            }
        }
        if (!tokens.get(position - 1).isPunctuator(close)) {
            throw new GraphQlException("mismatched " + open);
        }
    }

    private Token peek() {
        return position < tokens.size() ? tokens.get(position) : null;
    }

    private Token peekRequired() throws GraphQlException {
        Token token = peek();
        if (token == null) {
            throw new GraphQlException("the query ends too early");
        }
        return token;
    }

    private Token next() {
        return position < tokens.size() ? tokens.get(position++) : null;
    }

    private String expectName() throws GraphQlException {
        Token token = next();
        if (token == null || token.kind() != Token.Kind.NAME) {
            throw new GraphQlException("expected a name");
        }
        return token.text();
    }

    private void expectName(String name) throws GraphQlException {
        if (!name.equals(expectName())) {
            throw new GraphQlException("expected " + name);
        }
    }

    private void expectPunctuator(String punctuator) throws GraphQlException {
        Token token = next();
        if (token == null || !token.isPunctuator(punctuator)) {
            throw new GraphQlException("expected " + punctuator);
        }
    }
}
