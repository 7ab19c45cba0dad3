package io.github.mlflowkeycloak.route;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the route table costs per request: decoding the request target and looking up the route,
 * against a plain HashMap lookup of a string key as the baseline. Run with {@code bin/bench route-table}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RouteLookupBenchmark {

    private final RouteTable table = RouteTable.mlflow();
    private final Map<String, String> baselineMap = new HashMap<>(Map.of(
            "GET /api/2.0/mlflow/runs/get", "experiment:read",
            "POST /api/2.0/mlflow/runs/log-batch", "experiment:update"));

    private String staticTarget = "/api/2.0/mlflow/runs/get?run_id=0123456789abcdef0123456789abcdef";
    private String artifactTarget = "/api/2.0/mlflow-artifacts/artifacts/1/0123456789abcdef0123456789abcdef/artifacts/model/model.pkl";
    private String unknownTarget = "/api/2.0/mlflow/made-up/route?x=1";

    @Benchmark
    public String baselineHashMapLookup() {
        return baselineMap.get("GET /api/2.0/mlflow/runs/get");
    }

    @Benchmark
    public Optional<Route> staticRoute() {
        return RequestPath.decode(staticTarget).flatMap(path -> table.lookup("GET", path));
    }

    @Benchmark
    public Optional<Route> artifactRoute() {
        return RequestPath.decode(artifactTarget).flatMap(path -> table.lookup("PUT", path));
    }

    @Benchmark
    public Optional<Route> unknownRoute() {
        return RequestPath.decode(unknownTarget).flatMap(path -> table.lookup("GET", path));
    }
}
