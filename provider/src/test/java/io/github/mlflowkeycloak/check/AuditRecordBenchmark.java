package io.github.mlflowkeycloak.check;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.mlflowkeycloak.identity.Caller;
import io.github.mlflowkeycloak.request.MlflowRequest;
import io.github.mlflowkeycloak.route.Route;
import io.github.mlflowkeycloak.route.RouteTable;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one audit record costs to make (the JSON line, not writing it), for an allowed runs/get,
 * against making the allowing answer itself. Run with {@code bin/bench audit-record} (add
 * {@code -prof gc} for bytes allocated per record).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AuditRecordBenchmark {

    private Caller caller;
    private AuditRecord record;
    private Decision decision;

    @Setup
    public void setUp() throws Exception {
        UserModel user = (UserModel) Proxy.newProxyInstance(UserModel.class.getClassLoader(), new Class<?>[] {UserModel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getId" -> "9c7dd906-098f-48e9-9ebf-d189f0ebdeb9";
                    case "getUsername" -> "alice";
                    default -> null;
                });
        AccessToken token = new AccessToken();
        token.issuedFor("mlflow-cli");
        token.setSessionId("o5hOKmgozh9d7PgBtI1cfIXc");
        caller = new Caller(user, token);
        String target = "/api/2.0/mlflow/runs/get?run_id=0123456789abcdef0123456789abcdef";
        Route route = RouteTable.mlflow().lookup("GET", "/api/2.0/mlflow/runs/get").orElseThrow();
        record = new AuditRecord("mlflow");
        record.request("GET", target, "2f6b8ceff813ee93013fd31f3bc2a3d2");
        record.route(route);
        record.caller(caller);
        record.asked(Asked.of(route, new MlflowRequest("GET", target, name -> List.of(), null),
                Map.of("run_id", List.of("0123456789abcdef0123456789abcdef")), Map.of(), null));
        decision = Decision.allowed(caller, "per-object grant: read on each experiment it names");
    }

    @Benchmark
    public Decision baselineAllowingAnswer() {
        return Decision.allowed(caller, "per-object grant: read on each experiment it names");
    }

    @Benchmark
    public String auditRecord() {
        return record.json(decision, 412_345);
    }
}
