package io.github.mlflowkeycloak.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded load through the gateway: a few clients send a fixed mix of requests, each with the
 * status it must get, paced, until stopped, and every answer is counted against that status.
 */
final class GatewayLoad {

    /** A request and the status it must get: 2xx allowed, anything else refused. */
    record Probe(String name, HttpRequest request, int expected) {

        boolean mustBeRefused() {
            return expected / 100 != 2;
        }
    }

    /** What the clients got: per probe, each status (or the client's error) and how often. */
    record Result(long requests, long errors, long wronglyAllowed, Map<String, Map<String, Long>> outcomes, Duration duration) {

        double errorRate() {
            return requests == 0 ? 0 : (double) errors / requests;
        }

        @Override
        public String toString() {
            return String.format("%d requests in %.1f s, %d errors (%.2f%%), %d refused requests let through; %s",
                    requests, duration.toMillis() / 1000.0, errors, 100 * errorRate(), wronglyAllowed, outcomes);
        }
    }

    private static final int CLIENTS = 2;
    private static final Duration PAUSE = Duration.ofMillis(50);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Probe> probes;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    private final Map<String, Map<String, LongAdder>> outcomes = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder wronglyAllowed = new LongAdder();
    private final long started = System.nanoTime();

    private GatewayLoad(List<Probe> probes) {
        this.probes = List.copyOf(probes);
        for (int client = 0; client < CLIENTS; client++) {
            int first = client;
            clients.submit(() -> send(first));
        }
    }

    static GatewayLoad start(List<Probe> probes) {
        return new GatewayLoad(probes);
    }

    static HttpRequest.Builder to(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    }

    Result stop() throws InterruptedException {
        running.set(false);
        clients.shutdown();
        if (!clients.awaitTermination(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the load's clients did not stop");
        }
        Map<String, Map<String, Long>> counted = new TreeMap<>();
        outcomes.forEach((probe, byOutcome) -> {
            Map<String, Long> counts = new TreeMap<>();
            byOutcome.forEach((outcome, count) -> counts.put(outcome, count.sum()));
            counted.put(probe, counts);
        });
        return new Result(requests.sum(), errors.sum(), wronglyAllowed.sum(), counted, Duration.ofNanos(System.nanoTime() - started));
    }

    private void send(int first) {
        for (int i = first; running.get(); i++) {
            Probe probe = probes.get(i % probes.size());
            String outcome;
            int status = -1;
            try {
                status = http.send(probe.request(), HttpResponse.BodyHandlers.discarding()).statusCode();
                outcome = String.valueOf(status);
            } catch (IOException e) {
                outcome = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            requests.increment();
            if (status != probe.expected()) {
                errors.increment();
            }
            if (probe.mustBeRefused() && status / 100 == 2) {
                wronglyAllowed.increment();
            }
            outcomes.computeIfAbsent(probe.name(), name -> new ConcurrentHashMap<>())
                    .computeIfAbsent(outcome, name -> new LongAdder()).increment();
            try {
                Thread.sleep(PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
