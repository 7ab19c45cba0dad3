package io.github.mlflowkeycloak.route;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A route-table file as written: the built-in {@code mlflow-routes.txt} beside this class, or an
 * override file on disk. One route a line,
 * <pre>METHOD  PATH  ACCESS  [IDS  [REFS  [WHO]]]  [mlflow&gt;=FIRST,&lt;NEXT]</pre>
 * (IDS or REFS {@code -} when a route has none but has a later column; the last column, a
 * {@link VersionRange}, when the line applies to some of the file's releases only); one line
 * {@code MLFLOW-VERSIONS <version>…} naming the MLflow releases the file covers; and in an
 * override file, optionally, {@code EXTENDS <version>}: the file starts from the built-in table
 * of that release, and each of its lines adds a route or replaces the one of the same method and
 * path. A path that starts with {@code /api/} stands for itself and the same path under
 * {@code /ajax-api/}, as MLflow serves every REST endpoint under both prefixes.
 *
 * <p>Every line is checked as the file is read; the first bad one stops the read, naming its number.
 */
public final class RouteTableFile {

    public static final String BUILT_IN = "mlflow-routes.txt";

    private static final String VERSIONS_LINE = "MLFLOW-VERSIONS";
    private static final String EXTENDS_LINE = "EXTENDS";

    private final String source;
    private final List<MlflowVersion> versions;
    private final Optional<MlflowVersion> base;
    private final List<Line> lines;

    /** One route line, as the releases in its range see it. */
    record Line(int number, Route route, VersionRange range) {
    }

    private RouteTableFile(String source, List<MlflowVersion> versions, Optional<MlflowVersion> base, List<Line> lines) {
        this.source = source;
        this.versions = List.copyOf(versions);
        this.base = base;
        this.lines = List.copyOf(lines);
    }

    /** The table shipped with the provider. */
    public static RouteTableFile builtIn() {
        try (InputStream in = RouteTableFile.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException(BUILT_IN + " is missing from the provider jar");
            }
            RouteTableFile file = parse(in, "the built-in " + BUILT_IN);
            if (file.base.isPresent()) {
                throw new IllegalStateException(BUILT_IN + " cannot extend another table");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException naming the file and the line that is wrong, or why it cannot be read */
    public static RouteTableFile read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException naming the source and the line that is wrong */
    public static RouteTableFile parse(InputStream in, String source) throws IOException {
        try {
            return parseLines(in, source);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ", " + e.getMessage(), e);
        }
    }

    private static RouteTableFile parseLines(InputStream in, String source) throws IOException {
        List<Line> lines = new ArrayList<>();
        List<MlflowVersion> versions = null;
        Optional<MlflowVersion> base = Optional.empty();
        int baseLine = 0;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        String line;
        int number = 0;
        while (true) {
            try {
                line = reader.readLine();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("line " + (number + 1) + ": not UTF-8", e);
            }
            if (line == null) {
                break;
            }
            number++;
            String content = line.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            String[] fields = content.split("\\s+");
            try {
                if (fields[0].equals(VERSIONS_LINE)) {
                    if (fields.length < 2 || versions != null) {
                        throw new IllegalArgumentException("expected one " + VERSIONS_LINE + " <version>…");
                    }
                    TreeSet<MlflowVersion> listed = new TreeSet<>();
                    for (int i = 1; i < fields.length; i++) {
                        if (!listed.add(MlflowVersion.parse(fields[i]))) {
                            throw new IllegalArgumentException(fields[i] + " is listed twice");
                        }
                    }
                    versions = new ArrayList<>(listed);
                } else if (fields[0].equals(EXTENDS_LINE)) {
                    if (fields.length != 2 || base.isPresent()) {
                        throw new IllegalArgumentException("expected one " + EXTENDS_LINE + " <version>");
                    }
                    base = Optional.of(MlflowVersion.parse(fields[1]));
                    baseLine = number;
                } else {
                    lines.addAll(routeLines(number, fields));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + number + ": " + e.getMessage() + ": " + shorten(line), e);
            }
        }
        requireEachRouteOncePerRelease(lines);
        if (versions == null) {
            throw new IllegalArgumentException("the table names no MLflow version (" + VERSIONS_LINE + " <version>…)");
        }
        for (Line route : lines) {
            if (versions.stream().noneMatch(route.range()::contains)) {
                throw new IllegalArgumentException("line " + route.number() + ": its range " + route.range()
                        + " holds none of the releases the table covers, " + versions);
            }
        }
        if (base.isPresent() && versions.contains(base.get())) {
            throw new IllegalArgumentException("line " + baseLine + ": a table cannot extend a release it covers itself");
        }
        return new RouteTableFile(source, versions, base, lines);
    }

    private static List<Line> routeLines(int number, String[] fields) {
        VersionRange range = VersionRange.ALL;
        int columns = fields.length;
        if (columns > 3 && VersionRange.isRange(fields[columns - 1])) {
            range = VersionRange.parse(fields[columns - 1]);
            columns--;
        }
        if (columns < 3 || columns > 6) {
            throw new IllegalArgumentException("expected METHOD PATH ACCESS [IDS [REFS [WHO]]] [mlflow>=FIRST,<NEXT]");
        }
        String method = fields[0];
        if (method.equals("HEAD")) {
            throw new IllegalArgumentException("HEAD is served as GET; list the GET route");
        }
        if (!method.matches("[A-Z]{1,16}")) {
            throw new IllegalArgumentException("'" + shorten(method) + "' is not an HTTP method");
        }
        Access access = Access.parse(fields[2]);
        List<Line> lines = new ArrayList<>();
        for (String path : expandPrefixes(fields[1])) {
            PathPattern pattern = PathPattern.parse(path);
            List<RequestField> ids = new ArrayList<>();
            if (columns >= 4 && !fields[3].equals("-")) {
                for (String id : fields[3].split(",")) {
                    ids.add(RequestField.parse(id, pattern));
                }
            }
            List<Reference> references = new ArrayList<>();
            if (columns >= 5 && !fields[4].equals("-")) {
                for (String reference : fields[4].split(",")) {
                    references.add(Reference.parse(reference, pattern));
                }
            }
            List<Author> authors = new ArrayList<>();
            if (columns == 6) {
                for (String author : fields[5].split(",")) {
                    authors.add(Author.parse(author, pattern));
                }
                if (method.equals("GET")) {
                    throw new IllegalArgumentException("the gateway rewrites bodies, and MLflow reads a GET's fields from its query string");
                }
            }
            lines.add(new Line(number, new Route(method, pattern, access, ids, references, authors), range));
        }
        return lines;
    }

    /** Two lines for one method and path must apply to releases apart, else which one decides would be a guess. */
    private static void requireEachRouteOncePerRelease(List<Line> lines) {
        Map<String, List<Line>> byRoute = new HashMap<>();
        for (Line line : lines) {
            List<Line> same = byRoute.computeIfAbsent(line.route().method() + " " + line.route().path(), key -> new ArrayList<>());
            for (Line earlier : same) {
                if (overlap(earlier.range(), line.range())) {
                    throw new IllegalArgumentException("line " + line.number() + ": route listed twice for the same releases: "
                            + line.route().method() + " " + line.route().path() + " (also line " + earlier.number() + ")");
                }
            }
            same.add(line);
        }
    }

    private static boolean overlap(VersionRange a, VersionRange b) {
        boolean aEndsFirst = a.until().isPresent() && b.from().isPresent() && a.until().get().compareTo(b.from().get()) <= 0;
        boolean bEndsFirst = b.until().isPresent() && a.from().isPresent() && b.until().get().compareTo(a.from().get()) <= 0;
        return !aEndsFirst && !bEndsFirst;
    }

    private static List<String> expandPrefixes(String path) {
        if (path.startsWith("/api/")) {
            return List.of(path, "/ajax-api/" + path.substring("/api/".length()));
        }
        return List.of(path);
    }

    private static String shorten(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 200 ? printable.substring(0, 200) + "…" : printable;
    }

    /** Where the file was read from, as messages name it. */
    public String source() {
        return source;
    }

    /** The releases the file covers, oldest first. */
    public List<MlflowVersion> versions() {
        return versions;
    }

    /** The release whose built-in table this file extends; empty when it stands alone. */
    public Optional<MlflowVersion> base() {
        return base;
    }

    /**
     * The routes of one release the file covers.
     *
     * @param baseTable the table of {@link #base()}, which this file's lines add to or replace lines of; null when it extends none
     */
    public RouteTable table(MlflowVersion version, RouteTable baseTable) {
        if (!versions.contains(version)) {
            throw new IllegalArgumentException(source + " does not cover MLflow " + version);
        }
        Map<String, Route> routes = new LinkedHashMap<>();
        if (baseTable != null) {
            baseTable.routes().forEach(route -> routes.put(route.method() + " " + route.path(), route));
        }
        for (Line line : lines) {
            if (line.range().contains(version)) {
                routes.put(line.route().method() + " " + line.route().path(), line.route());
            }
        }
        return new RouteTable(version, source, List.copyOf(routes.values()));
    }
}
