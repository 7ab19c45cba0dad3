package io.github.mlflowkeycloak.route;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A path as MLflow's routers write it. A segment is static text, or a variable with optional
 * static text around it ({@code <run_id>}, {@code <endpoint_name>:generateContent}), or
 * {@code <path:name>}: one or more whole segments. As in Starlette, a {@code <path:…>} variable
 * takes as much of the path as it can and still let the rest match; only canonical paths (see
 * {@link RequestPath}) are matched, so no segment is empty. Matching allocates nothing.
 */
public final class PathPattern {

    /** One segment of the pattern: {@code prefix<variable>suffix}, or static text alone. */
    private record Segment(String prefix, String variable, String suffix, boolean rest) {

        boolean isStatic() {
            return variable == null;
        }

        /** Matches one path segment, {@code path[start, end)}. */
        boolean matches(String path, int start, int end) {
            if (isStatic()) {
                return end - start == prefix.length() && path.startsWith(prefix, start);
            }
            // The variable takes at least one character.
            return end - start > prefix.length() + suffix.length()
                    && path.startsWith(prefix, start)
                    && path.startsWith(suffix, end - suffix.length());
        }
    }

    private final String text;
    private final Segment[] segments;
    private final boolean trailingSlash;
    private final boolean isStatic;
    private final int specificity;

    private PathPattern(String text, Segment[] segments, boolean trailingSlash) {
        this.text = text;
        this.segments = segments;
        this.trailingSlash = trailingSlash;
        int staticSegments = 0;
        boolean anyRest = false;
        for (Segment segment : segments) {
            staticSegments += segment.isStatic() ? 1 : 0;
            anyRest |= segment.rest();
        }
        this.isStatic = staticSegments == segments.length;
        // Werkzeug and Starlette both try the more literal rule first.
        this.specificity = staticSegments * 4 + segments.length * 2 + (anyRest ? 0 : 1);
    }

    public static PathPattern parse(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + text);
        }
        boolean trailingSlash = text.length() > 1 && text.endsWith("/");
        String body = text.substring(1, trailingSlash ? text.length() - 1 : text.length());
        List<Segment> segments = new ArrayList<>();
        if (!body.isEmpty()) {
            for (String part : body.split("/", -1)) {
                segments.add(parseSegment(part, text));
            }
        }
        PathPattern pattern = new PathPattern(text, segments.toArray(new Segment[0]), trailingSlash);
        if (trailingSlash && !pattern.isStatic) {
            throw new IllegalArgumentException("a trailing slash is only supported on static paths: " + text);
        }
        return pattern;
    }

    private static Segment parseSegment(String part, String text) {
        if (part.isEmpty()) {
            throw new IllegalArgumentException("empty segment in " + text);
        }
        int open = part.indexOf('<');
        int close = part.indexOf('>');
        if (open < 0 && close < 0) {
            return new Segment(part, null, "", false);
        }
        if (open < 0 || close < open || part.indexOf('<', open + 1) >= 0 || part.indexOf('>', close + 1) >= 0) {
            throw new IllegalArgumentException("malformed variable in " + text);
        }
        String variable = part.substring(open + 1, close);
        boolean rest = variable.startsWith("path:");
        if (rest) {
            variable = variable.substring("path:".length());
            if (open != 0 || close != part.length() - 1) {
                throw new IllegalArgumentException("<path:…> must be a whole segment: " + text);
            }
        }
        if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("malformed variable name in " + text);
        }
        return new Segment(part.substring(0, open), variable, part.substring(close + 1), rest);
    }

    /** True when the pattern has no variable part, so that it can be looked up by equality. */
    public boolean isStatic() {
        return isStatic;
    }

    /** Higher is more literal; more literal patterns are tried first. */
    int specificity() {
        return specificity;
    }

    /** The names of the pattern's variables, in order. */
    public List<String> variableNames() {
        List<String> names = new ArrayList<>();
        for (Segment segment : segments) {
            if (!segment.isStatic()) {
                names.add(segment.variable());
            }
        }
        return Collections.unmodifiableList(names);
    }

    /** Matches a decoded, canonical path (see {@link RequestPath}). */
    public boolean matches(String path) {
        return match(path, null);
    }

    /** The values of the variables in a path that {@link #matches} this pattern, else empty. */
    public Map<String, String> variables(String path) {
        int[] bounds = new int[segments.length * 2];
        if (!match(path, bounds)) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < segments.length; i++) {
            Segment segment = segments[i];
            if (!segment.isStatic()) {
                values.put(segment.variable(),
                        path.substring(bounds[2 * i] + segment.prefix().length(), bounds[2 * i + 1] - segment.suffix().length()));
            }
        }
        return values;
    }

    private boolean match(String path, int[] bounds) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return false;
        }
        int end = path.length();
        if (trailingSlash) {
            if (path.charAt(end - 1) != '/') {
                return false;
            }
            end--;
        } else if (end > 1 && path.charAt(end - 1) == '/') {
            return false;
        }
        if (segments.length == 0) {
            return end == 1;
        }
        return matchFrom(path, 0, 1, end, bounds);
    }

    /** Matches segments[index…] against path[position, end), where position starts a segment. */
    private boolean matchFrom(String path, int index, int position, int end, int[] bounds) {
        if (index == segments.length) {
            return position == end + 1;
        }
        if (position > end) {
            return false;
        }
        Segment segment = segments[index];
        if (!segment.rest()) {
            int segmentEnd = path.indexOf('/', position);
            if (segmentEnd < 0 || segmentEnd > end) {
                segmentEnd = end;
            }
            if (segmentEnd == position || !segment.matches(path, position, segmentEnd)) {
                return false;
            }
            record(bounds, index, position, segmentEnd);
            return matchFrom(path, index + 1, segmentEnd + 1, end, bounds);
        }
        // <path:…>: the longest run of whole segments that lets the rest match.
        for (int restEnd = end; restEnd > position; restEnd = path.lastIndexOf('/', restEnd - 1)) {
            if (matchFrom(path, index + 1, restEnd + 1, end, bounds)) {
                record(bounds, index, position, restEnd);
                return true;
            }
        }
        return false;
    }

    private static void record(int[] bounds, int index, int start, int end) {
        if (bounds != null) {
            bounds[2 * index] = start;
            bounds[2 * index + 1] = end;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
