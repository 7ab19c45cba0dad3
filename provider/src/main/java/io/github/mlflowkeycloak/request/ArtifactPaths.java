package io.github.mlflowkeycloak.request;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Artifact paths must stay inside what they name: relative, without {@code .} or {@code ..}
 * segments, without a URI scheme ({@code file:}, {@code s3:}) and without backslashes. MLflow
 * checks most of this itself; the gateway refuses such paths before they reach it, whatever field
 * carries them (the path, the query string or the body).
 */
public final class ArtifactPaths {

    /** The id fields that hold an artifact path. */
    private static final Set<String> FIELDS = Set.of("path", "artifact_path", "artifact_file_path");

    private ArtifactPaths() {
    }

    /** The first artifact path among the ids that is not a safe relative path, or null. */
    public static String firstUnsafe(Map<String, List<String>> ids) {
        for (Map.Entry<String, List<String>> id : ids.entrySet()) {
            if (FIELDS.contains(id.getKey())) {
                for (String path : id.getValue()) {
                    if (!isSafe(path)) {
                        return path;
                    }
                }
            }
        }
        return null;
    }

    static boolean isSafe(String path) {
        if (path.startsWith("/") || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0 || hasScheme(path)) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** {@code scheme:} as RFC 3986 writes it, at the start of the path (also a drive, {@code C:}). */
    private static boolean hasScheme(String path) {
        int slash = path.indexOf('/');
        String first = slash < 0 ? path : path.substring(0, slash);
        int colon = first.indexOf(':');
        return colon > 0 && first.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*");
    }
}
