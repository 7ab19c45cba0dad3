package io.github.mlflowkeycloak.lookup;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowkeycloak.metrics.MlflowMetrics;
import io.micrometer.core.instrument.Timer;

/**
 * MLflow's REST API at its internal URL, as the extension asks it: to find what an object
 * belongs to, and to page through searches it filters. MLflow trusts whoever reaches it, so this
 * URL must never be the public one.
 */
public final class MlflowApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

    /** MLflow's answers to the extension, timed: a 200, a 4xx (no such object), or none (an error). */
    private static final Timer ANSWERED = MlflowMetrics.timer(MlflowMetrics.MLFLOW_REQUESTS, "outcome", "answered");
    private static final Timer NOT_FOUND = MlflowMetrics.timer(MlflowMetrics.MLFLOW_REQUESTS, "outcome", "not_found");
    private static final Timer FAILED = MlflowMetrics.timer(MlflowMetrics.MLFLOW_REQUESTS, "outcome", "error");

    private final String baseUrl;
    private final HttpClient http;

    public MlflowApi(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /**
     * @return MLflow's JSON answer; empty when MLflow says the object does not exist or the
     *         request names none (a 4xx), which the caller treats as "not readable"
     */
    public Optional<JsonNode> get(String path, Map<String, List<String>> query) throws MlflowUnavailableException {
        StringBuilder uri = new StringBuilder(baseUrl).append(path);
        char separator = '?';
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            for (String value : parameter.getValue()) {
                uri.append(separator).append(encode(parameter.getKey())).append('=').append(encode(value));
                separator = '&';
            }
        }
        return send(HttpRequest.newBuilder(URI.create(uri.toString())).GET());
    }

    /** @return MLflow's JSON answer to a POST of the JSON body; empty on a 4xx */
    public Optional<JsonNode> post(String path, byte[] jsonBody) throws MlflowUnavailableException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(jsonBody)));
    }

    /**
     * Why MLflow does not answer its {@code /health} now (within two seconds: a probe must not
     * hang); empty when it does.
     */
    public Optional<String> healthProblem() {
        try {
            int status = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health")).timeout(HEALTH_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 ? Optional.empty() : Optional.of("it answered " + status);
        } catch (IOException e) {
            return Optional.of(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** The release MLflow says it is: the text of its {@code GET /version}, within two seconds, its first 64 bytes. */
    public String version() throws MlflowUnavailableException {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/version")).timeout(HEALTH_TIMEOUT)
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new MlflowUnavailableException("MLflow answered " + response.statusCode() + " to /version");
            }
            byte[] body = response.body();
            return new String(body, 0, Math.min(body.length, 64), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new MlflowUnavailableException("MLflow at " + baseUrl + " cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlflowUnavailableException("interrupted while asking MLflow", e);
        }
    }

    /** A path segment, for ids MLflow takes in its paths. */
    public static String segment(String value) {
        return encode(value).replace("+", "%20");
    }

    private Optional<JsonNode> send(HttpRequest.Builder request) throws MlflowUnavailableException {
        long started = System.nanoTime();
        Timer outcome = FAILED;
        try {
            Optional<JsonNode> answer = answer(request);
            outcome = answer.isPresent() ? ANSWERED : NOT_FOUND;
            return answer;
        } finally {
            outcome.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private Optional<JsonNode> answer(HttpRequest.Builder request) throws MlflowUnavailableException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.timeout(TIMEOUT).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new MlflowUnavailableException("MLflow at " + baseUrl + " cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlflowUnavailableException("interrupted while asking MLflow", e);
        }
        int status = response.statusCode();
        if (status >= 400 && status < 500) {
            return Optional.empty();
        }
        if (status != 200) {
            throw new MlflowUnavailableException("MLflow answered " + status);
        }
        try {
            return Optional.of(JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new MlflowUnavailableException("MLflow's answer is not JSON", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
