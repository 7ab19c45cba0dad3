package io.github.mlflowkeycloak.route;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The route table of every MLflow release the extension serves: the built-in table's releases,
 * and those of the override file when one is configured. For a release both cover, the override
 * file's table is the one in force. Every table is built when this is made, so that a file that
 * cannot give one of its releases a table is refused at load, not at the first request.
 */
public final class RouteTables {

    private final Map<MlflowVersion, RouteTable> tables;

    private RouteTables(Map<MlflowVersion, RouteTable> tables) {
        this.tables = Collections.unmodifiableMap(tables);
    }

    /**
     * @param override the operator's file; empty for the built-in table alone
     * @throws IllegalArgumentException when the override file extends a release the built-in table does not cover,
     *                                  or its lines and those of the release it extends cannot make one table
     */
    public static RouteTables of(RouteTableFile builtIn, Optional<RouteTableFile> override) {
        Map<MlflowVersion, RouteTable> tables = new LinkedHashMap<>();
        for (MlflowVersion version : builtIn.versions()) {
            tables.put(version, builtIn.table(version, null));
        }
        if (override.isPresent()) {
            RouteTableFile file = override.get();
            RouteTable base = null;
            if (file.base().isPresent()) {
                base = tables.get(file.base().get());
                if (base == null) {
                    throw new IllegalArgumentException(file.source() + " extends MLflow " + file.base().get()
                            + ", which the built-in table does not cover (it covers " + builtIn.versions() + ")");
                }
            }
            for (MlflowVersion version : file.versions()) {
                tables.put(version, file.table(version, base));
            }
        }
        return new RouteTables(tables);
    }

    /** The table of a release; empty when no table covers it, and the gateway must not serve that MLflow. */
    public Optional<RouteTable> of(MlflowVersion version) {
        return Optional.ofNullable(tables.get(version));
    }

    /** Every release a table covers, oldest first. */
    public List<MlflowVersion> versions() {
        return List.copyOf(new TreeSet<>(tables.keySet()));
    }
}
