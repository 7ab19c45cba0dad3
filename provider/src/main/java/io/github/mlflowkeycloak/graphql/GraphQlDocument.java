package io.github.mlflowkeycloak.graphql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Just enough of a GraphQL parser to tell which fields a request selects and with which
 * arguments: operations, fields (with aliases, arguments, and directives, which are skipped),
 * fragment spreads and inline fragments; argument values with the request's variables put in.
 * Anything it cannot parse is refused: an authorization check that guesses at a query the
 * server reads differently would be a bypass.
 */
public final class GraphQlDocument {

    /**
     * A selected field, with what is selected of it (fragments spread out).
     *
     * @param name      its name in the schema
     * @param alias     the name it is given in the answer, or null
     * @param arguments its arguments, variables replaced by their values (absent: null)
     * @param selection the fields selected of it
     */
    public record SelectedField(String name, String alias, ObjectNode arguments, List<SelectedField> selection) {
    }

    private static final int MAX_DEPTH = 64;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final List<Token> tokens;
    private final JsonNode variables;
    private int position;
    private final Map<String, List<Object>> fragments = new HashMap<>();
    private final Map<String, List<Object>> operations = new HashMap<>();
    private final List<String> operationOrder = new ArrayList<>();

    private GraphQlDocument(List<Token> tokens, JsonNode variables) {
        this.tokens = tokens;
        this.variables = variables;
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
        GraphQlDocument document = new GraphQlDocument(Token.lex(query), variables == null ? NullNode.getInstance() : variables);
        document.parseDocument();
        List<Object> selection;
        if (operationName != null) {
            selection = document.operations.get(operationName);
            if (selection == null) {
                throw new GraphQlException("no operation named " + operationName);
            }
        } else if (document.operationOrder.size() == 1) {
            selection = document.operations.get(document.operationOrder.get(0));
        } else {
            throw new GraphQlException("the document has " + document.operationOrder.size()
                    + " operations and no operationName");
        }
        return document.resolve(selection, new LinkedHashSet<>(), 0);
    }

    /** The selection with its fragments spread out. */
    private List<SelectedField> resolve(List<Object> selection, Set<String> spreading, int depth) throws GraphQlException {
        List<SelectedField> fields = new ArrayList<>();
        collect(selection, fields, spreading, depth);
        return fields;
    }

    private void collect(List<Object> selection, List<SelectedField> fields, Set<String> spreading, int depth)
            throws GraphQlException {
        if (depth > MAX_DEPTH) {
            throw new GraphQlException("the query is nested too deeply");
        }
        for (Object item : selection) {
            if (item instanceof Field field) {
                fields.add(new SelectedField(field.name(), field.alias(), field.arguments(),
                        resolve(field.selection(), spreading, depth + 1)));
            } else if (item instanceof Spread spread) {
                List<Object> fragment = fragments.get(spread.fragment());
                if (fragment == null) {
                    throw new GraphQlException("unknown fragment " + spread.fragment());
                }
                if (!spreading.add(spread.fragment())) {
                    throw new GraphQlException("fragment " + spread.fragment() + " spreads itself");
                }
                collect(fragment, fields, spreading, depth + 1);
                spreading.remove(spread.fragment());
            } else if (item instanceof InlineFragment inline) {
                collect(inline.selection(), fields, spreading, depth + 1);
            }
        }
    }

    private record Field(String name, String alias, ObjectNode arguments, List<Object> selection) {
    }

    private record Spread(String fragment) {
    }

    private record InlineFragment(List<Object> selection) {
    }

    private void parseDocument() throws GraphQlException {
        if (tokens.isEmpty()) {
            throw new GraphQlException("the query is empty");
        }
        while (position < tokens.size()) {
            Token token = peek();
            if (token.isPunctuator("{")) {
                addOperation("", parseSelectionSet(0));
            } else if (token.isName("query") || token.isName("mutation") || token.isName("subscription")) {
                next();
                String name = peek() != null && peek().kind() == Token.Kind.NAME ? next().text() : "";
                if (peek() != null && peek().isPunctuator("(")) {
                    skipBalanced("(", ")");
                }
                skipDirectives();
                addOperation(name, parseSelectionSet(0));
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
    }

    private void addOperation(String name, List<Object> selection) throws GraphQlException {
        if (operations.put(name, selection) != null) {
            throw new GraphQlException("operation '" + name + "' is defined twice");
        }
        operationOrder.add(name);
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
                ObjectNode arguments = peekRequired().isPunctuator("(") ? parseArguments(depth + 1) : null;
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

    private ObjectNode parseArguments(int depth) throws GraphQlException {
        expectPunctuator("(");
        ObjectNode arguments = JSON.objectNode();
        while (!peekRequired().isPunctuator(")")) {
            String name = expectName();
            expectPunctuator(":");
            if (arguments.has(name)) {
                throw new GraphQlException("argument " + name + " is given twice");
            }
            arguments.set(name, parseValue(depth + 1));
        }
        next();
        return arguments;
    }

    /** A value as GraphQL reads it; a variable is replaced by the request's value of it (absent: null). */
    private JsonNode parseValue(int depth) throws GraphQlException {
        if (depth > MAX_DEPTH) {
            throw new GraphQlException("the query is nested too deeply");
        }
        Token token = next();
        if (token == null) {
            throw new GraphQlException("the query ends too early");
        }
        switch (token.kind()) {
            case STRING:
                return JSON.textNode(token.text());
            case VALUE:
                return JSON.textNode(token.text());
            case BLOCK_STRING:
                throw new GraphQlException("block strings are not accepted as argument values");
            case NAME:
                return switch (token.text()) {
                    case "true" -> JSON.booleanNode(true);
                    case "false" -> JSON.booleanNode(false);
                    case "null" -> NullNode.getInstance();
                    default -> JSON.textNode(token.text());
                };
            default:
                break;
        }
        if (token.isPunctuator("$")) {
            JsonNode value = variables.get(expectName());
            return value == null ? NullNode.getInstance() : value;
        }
        if (token.isPunctuator("[")) {
            ArrayNode list = JSON.arrayNode();
            while (!peekRequired().isPunctuator("]")) {
                list.add(parseValue(depth + 1));
            }
            next();
            return list;
        }
        if (token.isPunctuator("{")) {
            ObjectNode object = JSON.objectNode();
            while (!peekRequired().isPunctuator("}")) {
                String name = expectName();
                expectPunctuator(":");
                if (object.has(name)) {
                    throw new GraphQlException("input field " + name + " is given twice");
                }
                object.set(name, parseValue(depth + 1));
            }
            next();
            return object;
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

    /** Skips arguments or variable definitions: values are never fields. */
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
