package io.github.mlflowkeycloak.route;

import java.util.Optional;

/**
 * The MLflow releases a route-table line applies to, its optional last column:
 * {@code mlflow>=3.16.0}, {@code mlflow<3.16.0} or {@code mlflow>=3.15.0,<3.16.0} (pip's notation).
 * A line without one applies to every release its table covers.
 *
 * @param from  the first release it applies to; empty for every release up to {@code until}
 * @param until the first release it no longer applies to; empty for every release from {@code from}
 */
public record VersionRange(Optional<MlflowVersion> from, Optional<MlflowVersion> until) {

    public static final String PREFIX = "mlflow";
    public static final VersionRange ALL = new VersionRange(Optional.empty(), Optional.empty());

    /** Whether a column is a range rather than a request field: no field is named "mlflow" followed by >= or <. */
    static boolean isRange(String column) {
        return column.startsWith(PREFIX + ">=") || column.startsWith(PREFIX + "<");
    }

    static VersionRange parse(String column) {
        Optional<MlflowVersion> from = Optional.empty();
        Optional<MlflowVersion> until = Optional.empty();
        for (String bound : column.substring(PREFIX.length()).split(",", -1)) {
            if (bound.startsWith(">=") && from.isEmpty() && until.isEmpty()) {
                from = Optional.of(MlflowVersion.parse(bound.substring(2)));
            } else if (bound.startsWith("<") && until.isEmpty()) {
                until = Optional.of(MlflowVersion.parse(bound.substring(1)));
            } else {
                throw new IllegalArgumentException("expected mlflow>=FIRST, mlflow<NEXT or mlflow>=FIRST,<NEXT, not '" + column + "'");
            }
        }
        if (from.isPresent() && until.isPresent() && from.get().compareTo(until.get()) >= 0) {
            throw new IllegalArgumentException("the range '" + column + "' holds no release");
        }
        return new VersionRange(from, until);
    }

    public boolean contains(MlflowVersion version) {
        return from.map(first -> version.compareTo(first) >= 0).orElse(true)
                && until.map(next -> version.compareTo(next) < 0).orElse(true);
    }

    @Override
    public String toString() {
        if (from.isEmpty() && until.isEmpty()) {
            return "";
        }
        return PREFIX + from.map(v -> ">=" + v).orElse("") + (from.isPresent() && until.isPresent() ? "," : "")
                + until.map(v -> "<" + v).orElse("");
    }
}
