package io.github.mlflowkeycloak.search;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowkeycloak.authorization.CallerPermissions;
import io.github.mlflowkeycloak.lookup.MlflowApi;
import io.github.mlflowkeycloak.lookup.MlflowUnavailableException;
import io.github.mlflowkeycloak.metrics.MlflowMetrics;
import io.github.mlflowkeycloak.request.BadRequestException;
import io.github.mlflowkeycloak.request.JsonBody;
import io.github.mlflowkeycloak.request.MlflowRequest;
import io.github.mlflowkeycloak.request.QueryString;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.Route;
import io.github.mlflowkeycloak.route.Scope;
import io.micrometer.core.instrument.DistributionSummary;

/**
 * MLflow's searches for a caller who may read some experiments or registered models, not all:
 * the extension runs the search against MLflow itself and keeps only what the caller may read,
 * page after page until it has as many as asked for. Its page token says where in MLflow's
 * result list it stopped (MLflow's own token, and how many of that page were already seen), so
 * that paging goes on where it left off; it is sealed ({@link PageTokens}), and offered only when
 * the next page holds something the caller may read, so that neither it nor its presence tells
 * of objects the caller may not read.
 */
public final class FilteredSearch {

    /** MLflow pages read for one answer at most; a sparse result then comes in short pages. */
    static final int MAX_MLFLOW_PAGES = 10;
    /** The smallest of the three searches' limits on max_results (registered models: 1,000). */
    static final int MLFLOW_PAGE_SIZE = 1000;
    /**
     * Asked beyond the results expected to be needed: most of what an MLflow search costs is the
     * request itself (on the benchmark's machine 40 ms for 100 experiments, 81 ms for 1,000), so a
     * share a little under the one seen so far should not cost one more request.
     */
    static final double HEADROOM = 1.25;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A search whose results are filtered, and how each result names the object that decides. */
    enum Search {
        EXPERIMENTS("/api/2.0/mlflow/experiments/search", "experiments",
                ResourceKind.EXPERIMENT, "experiment_id", 1000),
        REGISTERED_MODELS("/api/2.0/mlflow/registered-models/search",
                "registered_models", ResourceKind.REGISTERED_MODEL, "name", 100),
        MODEL_VERSIONS("/api/2.0/mlflow/model-versions/search",
                "model_versions", ResourceKind.REGISTERED_MODEL, "name", 10000);

        final String mlflowPath;
        final String resultsField;
        final ResourceKind kind;
        final String idField;
        final int defaultMaxResults;

        Search(String mlflowPath, String resultsField, ResourceKind kind, String idField, int defaultMaxResults) {
            this.mlflowPath = mlflowPath;
            this.resultsField = resultsField;
            this.kind = kind;
            this.idField = idField;
            this.defaultMaxResults = defaultMaxResults;
        }
    }

    /**
     * The search parameters read from the request: the paging ones, which the extension handles,
     * and the ones passed on to MLflow; anything else in the request is left out.
     */
    private static final List<String> PARAMETERS =
            List.of("max_results", "page_token", "filter", "order_by", "view_type", "filter_string");

    /** MLflow pages read per answer: many means the caller may read few of the objects searched. */
    private static final DistributionSummary PAGES_READ = MlflowMetrics.summary(MlflowMetrics.SEARCH_PAGES);

    private final MlflowApi mlflow;

    public FilteredSearch(MlflowApi mlflow) {
        this.mlflow = mlflow;
    }

    /** @return the kind whose read scope a search route filters by; empty for any other route */
    public static Optional<ResourceKind> filteredKind(Route route) {
        return search(route).map(search -> search.kind);
    }

    private static Optional<Search> search(Route route) {
        String operation = route.operation();
        for (Search search : Search.values()) {
            if (operation.endsWith(" " + search.mlflowPath)) {
                return Optional.of(search);
            }
        }
        return Optional.empty();
    }

    /**
     * @param tokens seal the page token of the answer and open the one of the request
     * @return MLflow's answer to the search, holding only what the caller may read
     */
    public ObjectNode run(Route route, MlflowRequest request, CallerPermissions permissions, PageTokens tokens)
            throws BadRequestException, MlflowUnavailableException {
        Search search = search(route).orElseThrow(() -> new IllegalArgumentException("not a filtered search: " + route.path()));
        Map<String, List<String>> parameters = parameters(request);
        int wanted = maxResults(parameters.remove("max_results"), search);
        String pageToken = single(parameters.remove("page_token"), "page_token");
        // What the token continues: this search with these parameters, in the order PARAMETERS reads them.
        String continued = search.name() + "\n" + parameters;
        Position position = Position.open(tokens, continued, pageToken);

        ArrayNode kept = JSON.createArrayNode();
        String mlflowToken = position.mlflowToken();
        int skip = position.skip();
        int seen = 0;
        for (int pages = 0; pages < MAX_MLFLOW_PAGES; pages++) {
            // One more than wanted: a next page is offered only when the caller may read something on it,
            // or whether a filter matches objects the caller may not read would show.
            int pageSize = pageSize(wanted + 1 - kept.size(), skip, kept.size(), seen);
            Map<String, List<String>> query = new LinkedHashMap<>(parameters);
            query.put("max_results", List.of(Integer.toString(pageSize)));
            if (mlflowToken != null) {
                query.put("page_token", List.of(mlflowToken));
            }
            JsonNode page = mlflow.get(search.mlflowPath, query)
                    .orElseThrow(() -> new BadRequestException("MLflow refused the search's parameters."));
            JsonNode results = page.path(search.resultsField);
            String pageNext = page.path("next_page_token").isTextual() ? page.path("next_page_token").textValue() : null;
            Set<String> readable = readable(search, results, skip, permissions);
            for (int i = skip; i < results.size(); i++) {
                JsonNode result = results.get(i);
                JsonNode id = result.path(search.idField);
                if (id.isTextual() && readable.contains(id.textValue())) {
                    if (kept.size() == wanted) {
                        PAGES_READ.record(pages + 1);
                        return answer(search, kept, new Position(mlflowToken, i).seal(tokens, continued));
                    }
                    kept.add(result);
                }
            }
            if (pageNext == null || pageNext.isEmpty()) {
                PAGES_READ.record(pages + 1);
                return answer(search, kept, null);
            }
            seen += Math.max(0, results.size() - skip);
            mlflowToken = pageNext;
            skip = 0;
        }
        // Many results the caller may not read: answer what was found so far, and where to go on.
        PAGES_READ.record(MAX_MLFLOW_PAGES);
        return answer(search, kept, new Position(mlflowToken, 0).seal(tokens, continued));
    }

    /**
     * How many results to ask MLflow for next: as many as are still wanted, scaled by the share
     * of results the caller could read so far (from a 1 in 10 share, 10 times as many), with
     * {@value #HEADROOM}× headroom, so that a caller who reads most objects costs MLflow one page
     * of about the size asked for, and one who reads few costs few pages; between the
     * {@code skip} results of a page already seen plus one and {@value #MLFLOW_PAGE_SIZE}.
     * MLflow's page tokens are offsets, so a page's size may differ from the one before.
     */
    static int pageSize(int stillWanted, int skip, int keptSoFar, int seenSoFar) {
        double expected = seenSoFar == 0 ? stillWanted
                : keptSoFar == 0 ? MLFLOW_PAGE_SIZE : (double) stillWanted * seenSoFar / keptSoFar;
        long size = (long) Math.ceil(expected * HEADROOM);
        return (int) Math.min(MLFLOW_PAGE_SIZE, Math.max(size + skip, skip + 1));
    }

    /** Of the results from {@code skip} on, the ids the caller may read: decided in one evaluation. */
    private static Set<String> readable(Search search, JsonNode results, int skip, CallerPermissions permissions) {
        List<String> ids = new ArrayList<>();
        for (int i = skip; i < results.size(); i++) {
            JsonNode id = results.get(i).path(search.idField);
            if (id.isTextual()) {
                ids.add(id.textValue());
            }
        }
        return ids.isEmpty() ? Set.of() : permissions.grantedAmong(search.kind, Scope.READ, ids);
    }

    private static ObjectNode answer(Search search, ArrayNode kept, String nextPageToken) {
        ObjectNode answer = JSON.createObjectNode();
        answer.set(search.resultsField, kept);
        if (nextPageToken != null) {
            answer.put("next_page_token", nextPageToken);
        }
        return answer;
    }

    /** The parameters as MLflow reads them: the query string of a GET that has one, else the JSON body. */
    private static Map<String, List<String>> parameters(MlflowRequest request) throws BadRequestException {
        QueryString query = QueryString.parse(request.rawQuery());
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        boolean fromQuery = "GET".equals(request.method()) && !query.isEmpty();
        JsonBody body = fromQuery ? null : JsonBody.parse(request.body());
        for (String name : PARAMETERS) {
            List<String> values = fromQuery ? query.values(name) : body.values(name);
            if (fromQuery && values.isEmpty()) {
                values = query.values(JsonBody.camelCase(name));
            }
            if (!values.isEmpty()) {
                parameters.put(name, new ArrayList<>(values));
            }
        }
        return parameters;
    }

    private static int maxResults(List<String> values, Search search) throws BadRequestException {
        String text = single(values, "max_results");
        if (text == null) {
            return search.defaultMaxResults;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value < 1 || value > 50000) {
                throw new BadRequestException("max_results must be between 1 and 50000.");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new BadRequestException("max_results must be a number.");
        }
    }

    private static String single(List<String> values, String name) throws BadRequestException {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new BadRequestException("'" + name + "' must be given once.");
        }
        return values.get(0);
    }

    /** Where a filtered search goes on: MLflow's page token, and how many of that page were seen. */
    record Position(String mlflowToken, int skip) {

        /** @param continued the search and its parameters, which the token was sealed for */
        static Position open(PageTokens tokens, String continued, String token) throws BadRequestException {
            if (token == null || token.isEmpty()) {
                return new Position(null, 0);
            }
            return parse(tokens.open(continued, token));
        }

        static Position parse(byte[] sealed) throws BadRequestException {
            try {
                JsonNode position = JSON.readTree(sealed);
                JsonNode mlflow = position.path("t");
                JsonNode skip = position.path("s");
                if (!skip.canConvertToInt() || skip.intValue() < 0 || skip.intValue() > MLFLOW_PAGE_SIZE
                        || !(mlflow.isNull() || mlflow.isTextual())) {
                    throw new BadRequestException("The page token is not valid.");
                }
                return new Position(mlflow.isTextual() ? mlflow.textValue() : null, skip.intValue());
            } catch (java.io.IOException e) {
                throw new BadRequestException("The page token is not valid.");
            }
        }

        String seal(PageTokens tokens, String continued) {
            return tokens.seal(continued, bytes());
        }

        byte[] bytes() {
            ObjectNode position = JSON.createObjectNode();
            position.put("t", mlflowToken);
            position.put("s", skip);
            return position.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
