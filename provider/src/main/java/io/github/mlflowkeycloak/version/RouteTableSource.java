package io.github.mlflowkeycloak.version;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;

import io.github.mlflowkeycloak.route.RouteTableFile;
import io.github.mlflowkeycloak.route.RouteTables;
import org.jboss.logging.Logger;

/**
 * The route tables in force: the built-in table, and the operator's override file (the SPI option
 * route-table-file) when one is configured. The file is read at start, where a bad one stops
 * Keycloak, and again whenever it changes; a change that does not load leaves the tables in force
 * as they were, and the log says which line is wrong.
 */
public final class RouteTableSource {

    private static final Logger LOG = Logger.getLogger(RouteTableSource.class);

    private final RouteTableFile builtIn;
    private final Optional<Path> overrideFile;
    private volatile RouteTables tables;
    /** The file's modification time and size when it was last read, loaded or not. */
    private Object lastRead;

    /** @throws IllegalArgumentException when the override file cannot be read or is not a valid table */
    public RouteTableSource(RouteTableFile builtIn, Optional<Path> overrideFile) {
        this.builtIn = builtIn;
        this.overrideFile = overrideFile;
        this.lastRead = overrideFile.map(RouteTableSource::stamp).orElse(null);
        Optional<RouteTableFile> override = overrideFile.map(RouteTableFile::read);
        this.tables = RouteTables.of(builtIn, override);
        override.ifPresent(read -> LOG.infof("MLflow route tables: the built-in one for %s, %s for %s", builtIn.versions(),
                read.source(), read.versions()));
    }

    public RouteTables tables() {
        return tables;
    }

    /** Reads the override file again if it changed since it was last read. */
    synchronized void reloadIfChanged() {
        if (overrideFile.isEmpty()) {
            return;
        }
        Path file = overrideFile.get();
        Object stamp = stamp(file);
        if (Objects.equals(stamp, lastRead)) {
            return;
        }
        lastRead = stamp;
        try {
            RouteTableFile read = RouteTableFile.read(file);
            tables = RouteTables.of(builtIn, Optional.of(read));
            LOG.infof("reloaded the MLflow route-table file %s: it covers %s", file, read.versions());
        } catch (IllegalArgumentException e) {
            LOG.errorf("the MLflow route-table file %s did not load, the tables loaded before stay in force: %s", file, e.getMessage());
        }
    }

    /** What tells a changed file from the one read before; null when there is none to read. */
    private static Object stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.lastModifiedTime().toMillis() + "/" + attributes.size();
        } catch (IOException e) {
            return null;
        }
    }
}
