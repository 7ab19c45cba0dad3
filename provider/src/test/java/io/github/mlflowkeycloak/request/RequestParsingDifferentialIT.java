package io.github.mlflowkeycloak.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowkeycloak.route.RequestField;
import io.github.mlflowkeycloak.route.Route;
import io.github.mlflowkeycloak.route.RouteTable;
import io.github.mlflowkeycloak.stack.VenvPython;
import org.junit.jupiter.api.Test;

/**
 * A property test of request reading against MLflow's own: for every route whose handler parses
 * its request into a protobuf message, requests read by the gateway ({@link ObjectIds#read}) and
 * by MLflow's {@code _get_request_message} in a real Flask request (mlflow_request_parsing.py).
 * Whenever the gateway does not answer 400, MLflow must have parsed the request completely, and
 * the ids the route table names must be the same values for both. Deterministic: a fixed seed,
 * printed with any failure.
 */
class RequestParsingDifferentialIT {

    private static final long SEED = 20261201L;
    private static final int CASES_PER_ROUTE = 30;
    private static final int SHOWN = 25;
    private static final RouteTable TABLE = RouteTable.mlflow();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private record Case(Route route, String path, HostileRequests.Request request, List<String> ids) {
    }

    /** Requests made by {@link HostileRequests}, with the route's ids, for every route. */
    @Test
    void whatTheGatewayLetsThroughMlflowParsesCompletelyWithTheSameIds() throws Exception {
        Random random = new Random(SEED);
        HostileRequests requests = new HostileRequests(random);
        List<Case> cases = new ArrayList<>();
        for (Route route : TABLE.routes()) {
            ProtoMessage message = MlflowMessages.of(route);
            if (message == null) {
                continue;
            }
            List<String> ids = route.ids().stream()
                    .filter(id -> id.source() == RequestField.Source.REQUEST || id.source() == RequestField.Source.BODY)
                    .map(RequestField::name).toList();
            for (int i = 0; i < CASES_PER_ROUTE; i++) {
                cases.add(new Case(route, concrete(route), requests.next(route, message), ids));
            }
        }
        Outcome outcome = compare(cases);
        outcome.assertNoFailures("seed " + SEED);
        // The generator must reach both sides: many requests let through, many MLflow parses only in part.
        assertThat(outcome.letThrough).as("requests let through").isGreaterThan(cases.size() / 4);
        assertThat(outcome.partial).as("requests MLflow parses only in part").isGreaterThan(cases.size() / 10);
    }

    /**
     * Every field of every operation's message, and every field of the messages those hold, with
     * every value of {@link HostileRequests#sweepValues}, each before another field; and every
     * field of a GET's message in its query string with every value of
     * {@link HostileRequests#sweepQueryValues}, once and twice.
     */
    @Test
    void everyFieldTakesOnlyWhatParseDictParsesCompletely() throws Exception {
        Map<String, Route> operations = new LinkedHashMap<>();
        TABLE.routes().stream().filter(r -> MlflowMessages.of(r) != null).forEach(r -> operations.putIfAbsent(r.operation(), r));
        List<Case> cases = new ArrayList<>();
        for (Route route : operations.values()) {
            for (ProtoField field : MlflowMessages.of(route).fields()) {
                for (String value : route.method().equals("GET") ? HostileRequests.sweepQueryValues() : List.<String>of()) {
                    for (String query : List.of(field.name() + "=" + value, field.name() + "=" + value + "&" + field.name() + "=1")) {
                        cases.add(new Case(route, concrete(route), new HostileRequests.Request("GET", query, null, null), List.of()));
                    }
                }
                for (String value : HostileRequests.sweepValues()) {
                    List<String> bodies = new ArrayList<>(List.of("{\"" + field.name() + "\": " + value + ", \"zz\": 1}"));
                    if (field.map()) {
                        bodies.add("{\"" + field.name() + "\": {\"k\": " + value + "}}");
                    } else if (field.type() == ProtoField.Type.MESSAGE && field.message().form() == ProtoMessage.Form.FIELDS) {
                        for (ProtoField inner : field.message().fields()) {
                            String object = "{\"" + inner.name() + "\": " + value + "}";
                            bodies.add("{\"" + field.name() + "\": " + (field.repeated() ? "[" + object + "]" : object) + "}");
                        }
                    }
                    for (String body : bodies) {
                        HostileRequests.Request request = new HostileRequests.Request("POST", "", body.getBytes(StandardCharsets.UTF_8),
                                "application/json");
                        cases.add(new Case(route, concrete(route), request, List.of()));
                    }
                }
            }
        }
        Outcome outcome = compare(cases);
        outcome.assertNoFailures("sweep");
        assertThat(outcome.partial).as("requests MLflow parses only in part").isGreaterThan(cases.size() / 4);
    }

    /** What the gateway and MLflow made of the cases. */
    private static final class Outcome {
        final List<String> failures = new ArrayList<>();
        int letThrough;
        int partial;

        void assertNoFailures(String run) {
            assertThat(failures)
                    .as("%s: %d of %d requests the gateway lets through (MLflow parsed %d of all only in part); the first %d:",
                            run, failures.size(), letThrough, partial, SHOWN)
                    .withFailMessage(() -> String.join("\n", failures.subList(0, Math.min(SHOWN, failures.size()))))
                    .isEmpty();
        }
    }

    private static Outcome compare(List<Case> cases) throws Exception {
        List<JsonNode> mlflow = askMlflow(cases);
        Outcome outcome = new Outcome();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            JsonNode theirs = mlflow.get(i);
            if (theirs.has("parsed") && !theirs.get("parsed").booleanValue()) {
                outcome.partial++;
            }
            HostileRequests.Request request = c.request();
            String target = c.path() + (request.query().isEmpty() ? "" : "?" + request.query());
            Map<String, List<String>> ours;
            try {
                ours = ObjectIds.read(c.route(), c.path(), new MlflowRequest(request.method(), target, name -> List.of(), request.body()));
            } catch (BadRequestException e) {
                continue;
            }
            outcome.letThrough++;
            String problem = null;
            if (theirs.has("raised")) {
                problem = "MLflow raises " + theirs.get("raised").textValue();
            } else if (!theirs.get("parsed").booleanValue()) {
                problem = "MLflow parses only part of it: " + theirs.get("error").textValue();
            }
            for (String id : c.ids()) {
                List<String> mlflowIds = theirs.has("ids") ? JSON.convertValue(theirs.get("ids").get(id), STRINGS) : List.of();
                List<String> gatewayIds = ours.getOrDefault(id, List.of());
                if (problem == null && !mlflowIds.equals(gatewayIds)) {
                    problem = "'" + id + "': the gateway read " + JSON.writeValueAsString(gatewayIds) + ", MLflow "
                            + JSON.writeValueAsString(mlflowIds);
                }
            }
            if (problem != null) {
                outcome.failures.add("case " + i + ": " + request.method() + " " + target + " body="
                        + (request.body() == null ? "none" : new String(request.body(), StandardCharsets.UTF_8)) + "\n    " + problem);
            }
        }
        return outcome;
    }

    private static String concrete(Route route) {
        return route.path().toString().replaceAll("<path:\\w+>", "a/b").replaceAll("<\\w+>", "v1");
    }

    private static List<JsonNode> askMlflow(List<Case> cases) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Case c : cases) {
            ObjectNode line = JSON.createObjectNode();
            line.put("message", MlflowMessages.of(c.route()).name());
            line.put("method", c.request().method());
            line.put("query", c.request().query());
            line.put("body", c.request().body() == null ? null : Base64.getEncoder().encodeToString(c.request().body()));
            line.put("contentType", c.request().contentType());
            line.putPOJO("ids", c.ids());
            lines.add(JSON.writeValueAsString(line));
        }
        List<String> answers = VenvPython.run("mlflow_request_parsing.py", lines);
        assertThat(answers).as("answers of mlflow_request_parsing.py").hasSameSizeAs(cases);
        List<JsonNode> parsed = new ArrayList<>();
        for (String answer : answers) {
            parsed.add(JSON.readTree(answer));
        }
        return parsed;
    }
}
