package io.github.mlflowkeycloak.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

import com.sun.net.httpserver.HttpServer;
import io.github.mlflowkeycloak.lookup.MlflowApi;
import io.github.mlflowkeycloak.route.MlflowVersion;
import io.github.mlflowkeycloak.route.RouteTable;
import io.github.mlflowkeycloak.route.RouteTableFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlflowReleaseTest {

    private static final MlflowVersion NEWEST = RouteTable.mlflow().mlflowVersion();
    private static final String NEW_ROUTE = "GET /api/3.0/mlflow/brand-new/get experiment:read experiment_id";

    @TempDir
    Path directory;

    private HttpServer mlflow;
    private volatile String version = NEWEST.toString();

    @BeforeEach
    void startMlflow() throws IOException {
        mlflow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mlflow.createContext("/version", exchange -> {
            byte[] body = version.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        mlflow.start();
    }

    @AfterEach
    void stopMlflow() {
        mlflow.stop(0);
    }

    @Test
    void usesTheTableOfTheReleaseMlflowSaysItIsAndNoneForOneNoTableCovers() {
        MlflowRelease release = release(Optional.empty(), Optional.empty());
        assertThat(release.table()).as("before MLflow was asked").isEmpty();
        release.refresh();
        assertThat(release.table()).map(RouteTable::mlflowVersion).contains(NEWEST);

        version = "3.13.0";
        release.refresh();
        assertThat(release.table()).isEmpty();
        assertThat(release.state()).startsWith("MLflow 3.13.0 is not supported");

        version = "3.18.0.dev0";
        release.refresh();
        assertThat(release.table()).isEmpty();
        assertThat(release.state()).contains("answered no release");

        version = "3.14.0";
        release.refresh();
        assertThat(release.table()).map(RouteTable::mlflowVersion).contains(MlflowVersion.parse("3.14.0"));
    }

    @Test
    void keepsTheTableInForceWhileMlflowIsDownAndKnowsNoneUntilItAnswered() {
        MlflowRelease release = release(Optional.empty(), Optional.empty());
        release.refresh();
        mlflow.stop(0);
        release.refresh();
        assertThat(release.table()).map(RouteTable::mlflowVersion).contains(NEWEST);

        MlflowRelease fresh = release(Optional.empty(), Optional.empty());
        fresh.refresh();
        assertThat(fresh.table()).isEmpty();
        assertThat(fresh.state()).startsWith("MLflow's release is not known yet");
    }

    @Test
    void aPinnedReleaseDecidesWhileMlflowAgreesOrCannotBeAskedAndNothingWhileItAnswersAnother() {
        version = "3.14.0";
        MlflowRelease release = release(Optional.of(MlflowVersion.parse("3.14.0")), Optional.empty());
        release.refresh();
        assertThat(release.table()).map(RouteTable::mlflowVersion).contains(MlflowVersion.parse("3.14.0"));
        assertThat(release.state()).contains("(pinned)");

        version = "3.17.2";
        release.refresh();
        assertThat(release.table()).as("MLflow upgraded behind a pin").isEmpty();
        assertThat(release.state()).contains("pins 3.14.0");

        mlflow.stop(0);
        release.refresh();
        assertThat(release.table()).map(RouteTable::mlflowVersion).contains(MlflowVersion.parse("3.14.0"));
    }

    @Test
    void anOverrideFileCoversANewReleaseByExtendingTheBuiltInTable() throws IOException {
        Path file = write("""
                MLFLOW-VERSIONS 3.18.0
                EXTENDS %s
                %s
                """.formatted(NEWEST, NEW_ROUTE));
        version = "3.18.0";
        MlflowRelease release = release(Optional.empty(), Optional.of(file));
        release.refresh();
        RouteTable table = release.table().orElseThrow();
        assertThat(table.source()).isEqualTo(file.toString());
        assertThat(table.lookup("GET", "/ajax-api/3.0/mlflow/brand-new/get")).isPresent();
        assertThat(table.lookup("GET", "/api/2.0/mlflow/experiments/get")).as("a route of the table it extends").isPresent();
        assertThat(table.routes()).hasSize(RouteTable.mlflow().routes().size() + 2);
    }

    @Test
    void aChangedFileThatDoesNotLoadLeavesTheTablesInForce() throws IOException {
        Path file = write("MLFLOW-VERSIONS 3.18.0\nEXTENDS " + NEWEST + "\n" + NEW_ROUTE + "\n");
        version = "3.18.0";
        MlflowRelease release = release(Optional.empty(), Optional.of(file));
        release.refresh();

        rewrite(file, "MLFLOW-VERSIONS 3.18.0\nEXTENDS " + NEWEST + "\nGET /api/3.0/mlflow/brand-new/get experiment:own\n");
        release.refresh();
        assertThat(release.table().orElseThrow().lookup("GET", "/api/3.0/mlflow/brand-new/get")).isPresent();

        rewrite(file, "MLFLOW-VERSIONS 3.18.0\nEXTENDS " + NEWEST + "\n");
        release.refresh();
        assertThat(release.table().orElseThrow().lookup("GET", "/api/3.0/mlflow/brand-new/get")).as("the fixed file, read").isEmpty();
    }

    @Test
    void aBadFileStopsTheStartNamingItsLine() throws IOException {
        Path file = write("MLFLOW-VERSIONS 3.18.0\n\n# a comment\nGET /x experiment:read\nPOST /y anyone\n");
        assertThatThrownBy(() -> new RouteTableSource(RouteTableFile.builtIn(), Optional.of(file)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(file + ", line 5: ");
        Path extendsUnknown = write("MLFLOW-VERSIONS 3.18.0\nEXTENDS 3.1.0\n");
        assertThatThrownBy(() -> new RouteTableSource(RouteTableFile.builtIn(), Optional.of(extendsUnknown)))
                .hasMessageContaining("extends MLflow 3.1.0, which the built-in table does not cover");
        assertThatThrownBy(() -> new RouteTableSource(RouteTableFile.builtIn(), Optional.of(directory.resolve("missing.txt"))))
                .hasMessageContaining("cannot be read");
    }

    private MlflowRelease release(Optional<MlflowVersion> pinned, Optional<Path> file) {
        return new MlflowRelease(new RouteTableSource(RouteTableFile.builtIn(), file), pinned,
                new MlflowApi("http://127.0.0.1:" + mlflow.getAddress().getPort()));
    }

    private Path write(String text) throws IOException {
        return Files.writeString(Files.createTempFile(directory, "routes", ".txt"), text);
    }

    /** A rewrite within the file system's time resolution must still be seen as a change. */
    private static void rewrite(Path file, String text) throws IOException {
        FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 1000));
    }
}
