package io.github.mlflowkeycloak.route;

import java.io.ByteArrayOutputStream;
import java.util.Optional;

/**
 * The path MLflow will route on, taken from the raw request target that NGINX forwards unchanged.
 *
 * <p>MLflow's server percent-decodes the path (including {@code %2F}) and then routes on it
 * without resolving dot segments. Rather than predict every server's reading of odd forms, only
 * canonical paths are accepted: a path whose decoded form could be read differently by NGINX, the
 * ASGI server or Werkzeug (encoded slashes or backslashes, dot segments, empty segments, control
 * characters, malformed escapes) is refused, so that the route checked is always the route served.
 * A trailing slash is kept: both routers treat it as part of the path (at most they redirect).
 */
public final class RequestPath {

    private RequestPath() {
    }

    /**
     * @param requestTarget the raw request target, for example {@code /api/2.0/mlflow/runs/get?run_id=1}
     * @return the decoded path, or empty when the target is not a canonical origin-form path
     */
    public static Optional<String> decode(String requestTarget) {
        if (requestTarget == null || requestTarget.isEmpty() || requestTarget.charAt(0) != '/') {
            return Optional.empty();
        }
        int query = requestTarget.indexOf('?');
        String raw = query < 0 ? requestTarget : requestTarget.substring(0, query);
        if (raw.indexOf('#') >= 0) {
            return Optional.empty();
        }
        String decoded = percentDecode(raw);
        if (decoded == null || !isCanonical(decoded)) {
            return Optional.empty();
        }
        return Optional.of(decoded);
    }

    private static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw.chars().allMatch(c -> c <= 0x7f) ? raw : null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                int value = high << 4 | low;
                // An encoded separator would be one segment to NGINX and two to MLflow.
                if (value == '/' || value == '\\') {
                    return null;
                }
                bytes.write(value);
                i += 2;
            } else if (c > 0x7f) {
                return null;
            } else {
                bytes.write(c);
            }
        }
        return StrictUtf8.decode(bytes);
    }

    private static boolean isCanonical(String path) {
        int segmentStart = 1;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return false;
            }
            if (i > 0 && c == '/') {
                if (!isCanonicalSegment(path, segmentStart, i)) {
                    return false;
                }
                segmentStart = i + 1;
            }
        }
        // The last segment may be empty: a trailing slash.
        return segmentStart == path.length() || isCanonicalSegment(path, segmentStart, path.length());
    }

    private static boolean isCanonicalSegment(String path, int start, int end) {
        int length = end - start;
        if (length == 0) {
            return false;
        }
        return !(path.charAt(start) == '.' && (length == 1 || length == 2 && path.charAt(start + 1) == '.'));
    }
}
