package io.github.mlflowkeycloak.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.mlflowkeycloak.health.MlflowHealthCheck;
import io.github.mlflowkeycloak.route.Author;
import io.github.mlflowkeycloak.route.RequestField;
import io.github.mlflowkeycloak.route.Route;
import io.github.mlflowkeycloak.route.RouteTable;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of docker/Dockerfile and compose.yaml without a Docker engine: every file
 * they name exists, and their versions, ports, hostnames and realm agree with pom.xml, nginx/
 * and realm/. (DockerImageIT builds and runs the image where an engine exists.)
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    private static final Path TEMPLATES = ROOT.resolve("nginx/templates");
    private static final Path SERVER = TEMPLATES.resolve("mlflow-gateway/server.conf.template");

    @Test
    void everyFileTheDockerfilesCopyExists() throws IOException {
        for (String dockerfile : List.of("docker/Dockerfile", "docker/mlflow.Dockerfile")) {
            Matcher copy = Pattern.compile("^COPY (?!--from)(.+) \\S+$", Pattern.MULTILINE).matcher(read(dockerfile));
            int sources = 0;
            while (copy.find()) {
                for (String source : copy.group(1).trim().split("\\s+")) {
                    assertThat(ROOT.resolve(source)).as(dockerfile + " copies " + source).exists();
                    sources++;
                }
            }
            assertThat(sources).as(dockerfile).isPositive();
        }
    }

    @Test
    void everyFileComposeMountsOrBuildsExists() throws IOException {
        String compose = read("compose.yaml");
        Matcher local = Pattern.compile("(?<=[\\s:-])\\./([\\w./-]+)").matcher(compose);
        int paths = 0;
        while (local.find()) {
            assertThat(ROOT.resolve(local.group(1))).as("compose.yaml names ./" + local.group(1)).exists();
            paths++;
        }
        Matcher dockerfile = Pattern.compile("dockerfile: (\\S+)").matcher(compose);
        while (dockerfile.find()) {
            assertThat(ROOT.resolve(dockerfile.group(1))).exists();
            paths++;
        }
        assertThat(paths).isGreaterThanOrEqualTo(4);
    }

    @Test
    void theImageUsesTheKeycloakVersionOfThePom() throws IOException {
        String pomVersion = group(read("pom.xml"), "<keycloak.version>([^<]+)</keycloak.version>");
        assertThat(group(read("docker/Dockerfile"), "ARG KEYCLOAK_VERSION=(\\S+)")).isEqualTo(pomVersion);
    }

    /**
     * {@code bin/stack up --cluster} builds Keycloak as the image does: the same files in the same
     * places, the build options in keycloak/keycloak.conf alone, {@code kc.sh build} with none of
     * its own, then {@code start --optimized}.
     */
    @Test
    void theClusterBuildsKeycloakAsTheImageDoes() throws IOException {
        String dockerfile = read("docker/Dockerfile");
        String builder = dockerfile.substring(dockerfile.indexOf(" AS builder\n"), dockerfile.indexOf("\nFROM ", dockerfile.indexOf(" AS builder\n")));
        Set<String> imageCopies = new TreeSet<>();
        Matcher copy = Pattern.compile("^COPY (?:--from=provider /src/)?(\\S+) /opt/keycloak/(\\S+)$", Pattern.MULTILINE).matcher(builder);
        while (copy.find()) {
            imageCopies.add(copy.group(1) + " -> " + copy.group(2));
        }
        assertThat(builder).doesNotContain("ENV ").containsPattern("(?m)^RUN /opt/keycloak/bin/kc.sh build$");
        assertThat(dockerfile).containsPattern("CMD \\[\"start\", \"--optimized\"");

        String stack = read("bin/lib/keycloak-cluster.sh");
        String build = stack.substring(stack.indexOf("build_keycloak_cluster() {"), stack.indexOf("\n}\n", stack.indexOf("build_keycloak_cluster() {")));
        Set<String> stackCopies = new TreeSet<>();
        Matcher cp = Pattern.compile("^\\s+cp (?:-r )?\"\\$ROOT/(\\S+?)(?:\\.)?\" \"\\$KEYCLOAK_BUILD/(\\S+)\"$", Pattern.MULTILINE).matcher(build);
        while (cp.find()) {
            stackCopies.add(cp.group(1) + " -> " + cp.group(2));
        }
        assertThat(build).containsPattern("(?m)^\\s+\"\\$KEYCLOAK_BUILD/bin/kc.sh\" build >&2$");
        assertThat(stack).contains("/bin/kc.sh\" start --optimized ");

        assertThat(stackCopies).isEqualTo(imageCopies)
                .contains("keycloak/keycloak.conf -> conf/keycloak.conf", "themes/ -> themes/");
        assertThat(read("keycloak/keycloak.conf")).containsPattern("(?m)^db=postgres$").containsPattern("(?m)^health-enabled=true$");
    }

    @Test
    void theRouteTableIsForTheMlflowThatIsPinned() throws IOException {
        assertThat(RouteTable.mlflow().mlflowVersion()).hasToString(group(read("mlflow/requirements.txt"), "(?m)^mlflow==(\\S+)$"));
    }

    @Test
    void composeTellsTheGatewaysHealthByTheExtensionsAndKeycloaksByItsOwn() throws IOException {
        assertThat(read("docker/Dockerfile")).contains("COPY keycloak/keycloak.conf /opt/keycloak/conf/keycloak.conf");
        assertThat(read("keycloak/keycloak.conf")).containsPattern("(?m)^health-enabled=true$").containsPattern("(?m)^metrics-enabled=true$");
        String compose = read("compose.yaml");
        assertThat(service(compose, "keycloak")).contains("/dev/tcp/127.0.0.1/9000", "GET /health/ready ").doesNotContain("/health/group/");
        assertThat(service(compose, "nginx")).contains("http://keycloak:9000/health/group/" + MlflowHealthCheck.GROUP + "\"]", "http://127.0.0.1:8000/health")
                .contains("keycloak:\n        condition: service_healthy");
    }

    @Test
    void composeGivesTheGatewayTemplatesEveryVariableTheyUse() throws IOException {
        Set<String> used = variables(templates());
        assertThat(used).containsExactlyInAnyOrder("GATEWAY_LISTEN", "GATEWAY_PUBLIC_URL", "GATEWAY_TRUSTED_PROXY",
                "KEYCLOAK_UPSTREAM", "KEYCLOAK_REALM", "MLFLOW_UPSTREAM", "MLFLOW_STATIC_PREFIX", "MLFLOW_GATEWAY_SECRET");
        String compose = read("compose.yaml");
        for (String name : used) {
            assertThat(compose).contains("      " + name + ": ");
            assertThat(group(compose, "NGINX_ENVSUBST_FILTER: \"([^\"]+)\"")).contains(name);
        }
        assertThat(read("bin/render-nginx")).contains(used.stream().map(name -> '"' + name + '"').toList());
    }

    @Test
    void composePortsHostnamesAndRealmAgree() throws IOException {
        String compose = read("compose.yaml");
        String realm = JsonPath.from(ROOT.resolve("realm/mlflow-realm.json").toFile()).getString("realm");
        assertThat(env(compose, "KEYCLOAK_REALM")).isEqualTo(realm);

        String gatewayPort = env(compose, "GATEWAY_LISTEN");
        assertThat(compose).contains("- \"" + gatewayPort + ":" + gatewayPort + "\"");

        String[] keycloak = env(compose, "KEYCLOAK_UPSTREAM").split(":");
        assertThat(keycloak[0]).isEqualTo("keycloak");
        assertThat(service(compose, "keycloak")).contains("KC_HTTP_PORT: \"" + keycloak[1] + "\"");

        String[] mlflow = env(compose, "MLFLOW_UPSTREAM").split(":");
        assertThat(mlflow[0]).isEqualTo("mlflow");
        assertThat(service(compose, "mlflow")).contains("--port=" + mlflow[1]).doesNotContain("ports:");
        assertThat(service(compose, "mlflow")).contains("--allowed-hosts=${MLFLOW_PUBLIC_HOST:-localhost:" + gatewayPort + "}");
    }

    @Test
    void composeRunsTheGatewayWithTheNjsModuleAndScripts() throws IOException {
        String nginx = service(read("compose.yaml"), "nginx");
        assertThat(nginx).contains("./nginx/nginx.conf:/etc/nginx/nginx.conf", "./nginx/njs:/etc/nginx/njs");
        assertThat(read("nginx/nginx.conf")).contains("load_module modules/ngx_http_js_module.so;",
                "js_path /etc/nginx/njs;", "include /etc/nginx/conf.d/*.conf;");
        assertThat(templates()).contains("js_import mlflow_gate from mlflow_gate.js;");
        assertThat(ROOT.resolve("nginx/njs/mlflow_gate.js")).exists();
    }

    /**
     * /check sees only the client headers NGINX passes on: a header the route table reads (IDS or
     * REFS) that either way of asking (auth_request, the njs gate) leaves out would be checked never.
     */
    @Test
    void bothWaysOfAskingPassEveryHeaderTheRouteTableReads() throws IOException {
        Set<String> read = new TreeSet<>();
        for (Route route : RouteTable.mlflow().routes()) {
            route.ids().forEach(field -> addHeader(read, field));
            route.references().forEach(reference -> addHeader(read, reference.field()));
        }
        assertThat(read).as("headers the route table reads").contains("x-mlflow-experiment-id");
        String server = Files.readString(SERVER);
        for (String location : List.of("location = /_mlflow_check {", "location = /_mlflow_check_body {")) {
            int start = server.indexOf(location);
            assertThat(start).as(location).isNotNegative();
            assertThat(server.substring(start, server.indexOf("\n}", start)))
                    .contains("include conf.d/mlflow-gateway/check-request.conf;");
        }
        Set<String> passed = new TreeSet<>();
        Matcher header = Pattern.compile("proxy_set_header (\\S+) \\$http_(\\w+);")
                .matcher(Files.readString(TEMPLATES.resolve("mlflow-gateway/check-request.conf.template")));
        while (header.find()) {
            // X-Original-<Header> carries the client's <Header> where /check has its own.
            assertThat(header.group(2)).as("the variable of " + header.group(1))
                    .isEqualTo(header.group(1).toLowerCase(Locale.ROOT).replaceFirst("^x-original-", "").replace('-', '_'));
            passed.add(header.group(1).toLowerCase(Locale.ROOT));
        }
        assertThat(passed).containsAll(read);
    }

    /** Every request NGINX makes to the extension proves itself with the gateway secret. */
    @Test
    void everyLocationThatAsksKeycloakSendsTheGatewaySecret() throws IOException {
        String server = Files.readString(SERVER);
        Matcher location = Pattern.compile("(?m)^location [^\\n]*\\{\\n(.*?)\\n}", Pattern.DOTALL).matcher(server);
        int toKeycloak = 0;
        while (location.find()) {
            String block = location.group(1);
            if (block.contains("mlflow_keycloak") || block.contains("check-request.conf")) {
                assertThat(block).as(location.group()).containsAnyOf("include conf.d/mlflow-gateway/to-keycloak.conf;",
                        "include conf.d/mlflow-gateway/check-request.conf;");
                toKeycloak++;
            }
        }
        assertThat(toKeycloak).isEqualTo(5);
        assertThat(Files.readString(TEMPLATES.resolve("mlflow-gateway/check-request.conf.template")))
                .contains("include conf.d/mlflow-gateway/to-keycloak.conf;");
        assertThat(Files.readString(TEMPLATES.resolve("mlflow-gateway/to-keycloak.conf.template")))
                .contains("proxy_set_header X-MLflow-Gateway-Secret \"${MLFLOW_GATEWAY_SECRET}\";",
                        "proxy_set_header X-MLflow-Gateway-Url $mlflow_gateway_url;");
    }

    /** The gateway's URL comes from configuration: no location builds it from the request. */
    @Test
    void theGatewayUrlIsConfiguredNotTakenFromTheRequest() throws IOException {
        assertThat(templates() + Files.readString(ROOT.resolve("nginx/tls/mlflow-gateway-tls.conf.template")))
                .doesNotContain("$scheme://", "$http_host${", "X-Forwarded-Proto $scheme");
        String renderer = read("bin/render-nginx");
        assertThat(variables(Files.readString(ROOT.resolve("nginx/tls/mlflow-gateway-tls.conf.template"))))
                .isNotEmpty().allSatisfy(name -> assertThat(renderer).contains('"' + name + '"'));
    }

    private static String templates() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.walk(TEMPLATES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".template")).sorted().toList()) {
                all.append(Files.readString(file));
            }
        }
        return all.toString();
    }

    private static Set<String> variables(String text) {
        Set<String> used = new TreeSet<>();
        Matcher variable = Pattern.compile("\\$\\{([A-Z_]+)}").matcher(text);
        while (variable.find()) {
            used.add(variable.group(1));
        }
        return used;
    }

    /**
     * auth_request never gives /check the body: a route whose body names who did something (WHO)
     * must take the njs gate, or MLflow would record what the client claimed.
     */
    @Test
    void routesWhoseAuthorTheGatewayRewritesTakeTheNjsGate() throws IOException {
        Matcher location = Pattern.compile("location ~ (\\S+) \\{[^}]*?auth_request /_mlflow_check;").matcher(Files.readString(SERVER));
        assertThat(location.find()).as("the auth_request location").isTrue();
        Pattern streamed = Pattern.compile(location.group(1).replace("${MLFLOW_STATIC_PREFIX}", ""));
        int rewritten = 0;
        for (Route route : RouteTable.mlflow().routes()) {
            if (route.authors().stream().anyMatch(author -> author.form() != Author.Form.TAG_KEY)) {
                rewritten++;
                String path = route.path().toString().replaceAll("<path:\\w+>", "a/b").replaceAll("<\\w+>", "x");
                assertThat(streamed.matcher(path).find()).as(route.method() + " " + path).isFalse();
            }
        }
        assertThat(rewritten).as("routes whose body the gateway rewrites").isGreaterThan(20);
    }

    private static void addHeader(Set<String> headers, RequestField field) {
        if (field.source() == RequestField.Source.HEADER) {
            headers.add(field.name().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Every service says when it is healthy and starts when what it needs is; images are pinned
     * and maintained; secrets come from the environment, never a command line (visible in ps).
     */
    @Test
    void composeIsProductionShaped() throws IOException {
        String compose = read("compose.yaml");
        List<String> services = new ArrayList<>();
        Matcher name = Pattern.compile("(?m)^  (\\w[\\w-]*):$").matcher(compose.substring(compose.indexOf("\nservices:"),
                compose.indexOf("\nvolumes:")));
        while (name.find()) {
            services.add(name.group(1));
        }
        assertThat(services).containsExactlyInAnyOrder("postgres", "keycloak", "mlflow", "nginx");
        for (String service : services) {
            String block = service(compose, service);
            assertThat(block).as(service).contains("healthcheck:");
            Matcher dependency = Pattern.compile("(?m)^      (\\w+):\\n        condition: (\\w+)").matcher(block);
            while (dependency.find()) {
                assertThat(dependency.group(2)).as(service + " waits for " + dependency.group(1)).isEqualTo("service_healthy");
            }
            assertThat(block).as(service + " depends_on with conditions only").doesNotContainPattern("depends_on:\\n\\s+- ");
            Matcher command = Pattern.compile("(?s)command:\\n(.*?)\\n    \\w").matcher(block);
            if (command.find()) {
                assertThat(command.group(1)).as(service + "'s command").doesNotContainIgnoringCase("password")
                        .doesNotContainIgnoringCase("secret").doesNotContain("postgresql://");
            }
        }
        Matcher image = Pattern.compile("image: (\\S+)").matcher(compose + read("compose.tls.yaml"));
        while (image.find()) {
            assertThat(image.group(1)).as("pinned").matches(".+:\\d+\\.\\d+(\\.\\d+)?(-\\w+)?");
        }
        for (String dockerfile : List.of("docker/Dockerfile", "docker/mlflow.Dockerfile")) {
            Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(read(dockerfile));
            while (from.find()) {
                assertThat(from.group(1)).as(dockerfile).matches(".+:(\\$\\{KEYCLOAK_VERSION}|[\\w.-]*\\d+\\.\\d+[\\w.-]*)");
            }
        }
        assertThat(compose).doesNotContainIgnoringCase("minio");
        assertThat(env(compose, "KC_DB_USERNAME")).isNotEqualTo(group(compose, "postgresql://(\\w+):"));
    }

    @Test
    void theImageImportsTheRealmWithoutDemoUsers() throws IOException {
        assertThat(read("docker/Dockerfile"))
                .contains("COPY realm/mlflow-realm.json ")
                .doesNotContain("demo-overlay");
        assertThat(JsonPath.from(ROOT.resolve("realm/mlflow-realm.json").toFile()).getList("users")).isNull();
    }

    private static String service(String compose, String name) {
        List<String> lines = new ArrayList<>();
        boolean inside = false;
        for (String line : compose.split("\n")) {
            if (line.startsWith("  " + name + ":")) {
                inside = true;
            } else if (inside && line.matches("^  \\S.*|^\\S.*")) {
                break;
            }
            if (inside) {
                lines.add(line);
            }
        }
        assertThat(lines).as("service " + name).isNotEmpty();
        return String.join("\n", lines);
    }

    private static String env(String compose, String name) {
        return group(compose, "\\n      " + name + ": \"?([^\"\\n]*)\"?\\n");
    }

    private static String group(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as(regex).isTrue();
        return matcher.group(1);
    }

    private static String read(String path) throws IOException {
        return Files.readString(ROOT.resolve(path), StandardCharsets.UTF_8);
    }
}
