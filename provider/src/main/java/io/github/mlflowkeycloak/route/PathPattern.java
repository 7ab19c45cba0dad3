package io.github.mlflowkeycloak.route;

import java.util.ArrayList;
import java.util.List;

/**
 * A path as MLflow's (Werkzeug's) router writes it: static segments, {@code <name>} for one
 * segment, and a trailing {@code <path:name>} for the rest of the path (one or more segments).
 * Matching works on the decoded path and allocates nothing.
 */
public final class PathPattern {

    private final String text;
    /** Static segments as written, or null where a {@code <name>} segment stands. */
    private final String[] segments;
    private final boolean endsWithPath;
    private final int staticSegmentCount;

    private PathPattern(String text, String[] segments, boolean endsWithPath) {
        this.text = text;
        this.segments = segments;
        this.endsWithPath = endsWithPath;
        int count = 0;
        for (String segment : segments) {
            if (segment != null) {
                count++;
            }
        }
        this.staticSegmentCount = count;
    }

    public static PathPattern parse(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + text);
        }
        if (text.equals("/")) {
            return new PathPattern(text, new String[0], false);
        }
        String[] parts = text.substring(1).split("/", -1);
        List<String> segments = new ArrayList<>();
        boolean endsWithPath = false;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                throw new IllegalArgumentException("empty segment in " + text);
            }
            if (part.startsWith("<path:") && part.endsWith(">")) {
                if (i != parts.length - 1) {
                    throw new IllegalArgumentException("<path:…> must be the last segment: " + text);
                }
                endsWithPath = true;
            } else if (part.startsWith("<") && part.endsWith(">")) {
                segments.add(null);
            } else if (part.contains("<") || part.contains(">")) {
                throw new IllegalArgumentException("malformed variable in " + text);
            } else {
                segments.add(part);
            }
        }
        return new PathPattern(text, segments.toArray(new String[0]), endsWithPath);
    }

    /** True when the pattern has no variable part, so that it can be looked up by equality. */
    public boolean isStatic() {
        return !endsWithPath && staticSegmentCount == segments.length;
    }

    /** How specific the pattern is; Werkzeug prefers static segments over variables. */
    int specificity() {
        return staticSegmentCount * 2 + (endsWithPath ? 0 : 1);
    }

    /** Matches a decoded, canonical path (see {@link RequestPath}). */
    public boolean matches(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return false;
        }
        int position = 1;
        for (int i = 0; i < segments.length; i++) {
            int end = path.indexOf('/', position);
            if (end < 0) {
                end = path.length();
            }
            String segment = segments[i];
            if (end == position) {
                return false;
            }
            if (segment != null
                    && (end - position != segment.length() || !path.startsWith(segment, position))) {
                return false;
            }
            boolean lastSegment = i == segments.length - 1;
            if (end == path.length()) {
                return lastSegment && !endsWithPath;
            }
            position = end + 1;
        }
        if (endsWithPath) {
            return position < path.length();
        }
        // Only "/" itself has no segments.
        return segments.length == 0 && path.length() == 1;
    }

    @Override
    public String toString() {
        return text;
    }
}
