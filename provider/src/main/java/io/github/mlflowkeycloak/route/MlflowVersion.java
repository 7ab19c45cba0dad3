package io.github.mlflowkeycloak.route;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An MLflow release number as PyPI and MLflow's {@code /version} write it: {@code 3.17.2}. Only
 * final releases: a pre-release or development build ({@code 3.18.0rc1}, {@code 3.18.0.dev0}) is no
 * release a table was tested against, so it does not parse, and is refused like any other.
 */
public record MlflowVersion(int major, int minor, int patch) implements Comparable<MlflowVersion> {

    private static final Pattern RELEASE = Pattern.compile("(0|[1-9][0-9]{0,3})\\.(0|[1-9][0-9]{0,3})\\.(0|[1-9][0-9]{0,3})");

    /** @throws IllegalArgumentException when the text is not a final release's number */
    public static MlflowVersion parse(String text) {
        if (text == null || !RELEASE.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + shorten(text) + "' is not an MLflow release number such as 3.17.2");
        }
        int[] parts = Arrays.stream(text.split("\\.")).mapToInt(Integer::parseInt).toArray();
        return new MlflowVersion(parts[0], parts[1], parts[2]);
    }

    @Override
    public int compareTo(MlflowVersion other) {
        int byMajor = Integer.compare(major, other.major);
        if (byMajor != 0) {
            return byMajor;
        }
        int byMinor = Integer.compare(minor, other.minor);
        return byMinor != 0 ? byMinor : Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }

    /** What MLflow (or an option) answered may be anything: never quote more than a little of it. */
    private static String shorten(String text) {
        if (text == null) {
            return "";
        }
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }
}
