package io.github.mlflowkeycloak.route;

/**
 * A request field through which a client says who did something: the route table's WHO column,
 * one {@code TARGET>ACTION} each. MLflow records whatever it is sent there, so the gateway puts the
 * caller in it ({@code >caller}) or refuses the request ({@code >refused}).
 * <ul>
 * <li>{@code user_id} ({@link Form#USER}): the field is a user's name.</li>
 * <li>{@code tags[]@mlflow.user} ({@link Form#TAG_LIST}): the value of the tag {@code mlflow.user}
 *     in a list of {@code {key, value}} tags (or metadata).</li>
 * <li>{@code tags{}@mlflow.user} ({@link Form#TAG_MAP}): the value of the key {@code mlflow.user}
 *     of an object of tags (or metadata).</li>
 * <li>{@code key@mlflow.user} ({@link Form#TAG_KEY}): the field names the tag a request sets or
 *     deletes on an existing object; refused when it is {@code mlflow.user}.</li>
 * <li>{@code assessment.source@HUMAN} ({@link Form#SOURCE}): an assessment's source; its
 *     {@code source_id} is a person's name unless its {@code source_type} is a judge or code.</li>
 * </ul>
 * A field MLflow reads as JSON text (an evaluation dataset's {@code tags} and {@code records}) is
 * read as the JSON it holds.
 *
 * @param field   the field, in the IDS column's notation ({@code tags[]} and {@code tags{}} name the tags field itself)
 * @param form    how the field says who
 * @param key     the tag key ({@link Form#TAG_LIST}, {@link Form#TAG_MAP}, {@link Form#TAG_KEY}); else null
 * @param refused whether a request that gives it is refused (else the caller's name replaces what it gives)
 */
public record Author(RequestField field, Form form, String key, boolean refused) {

    public enum Form {
        USER,
        TAG_LIST,
        TAG_MAP,
        TAG_KEY,
        SOURCE
    }

    /** The kinds of assessment source whose {@code source_id} names no person (MLflow's AssessmentSource.SourceType). */
    public static final String HUMAN = "HUMAN";

    /** The field's path within the body, without its source prefix or its list or object marker. */
    public String path() {
        String name = field.name();
        return name.endsWith("[]") || name.endsWith("{}") ? name.substring(0, name.length() - 2) : name;
    }

    static Author parse(String text, PathPattern path) {
        int arrow = text.lastIndexOf('>');
        if (arrow <= 0) {
            throw new IllegalArgumentException("an author field is TARGET>caller or TARGET>refused: " + text);
        }
        String action = text.substring(arrow + 1);
        if (!action.equals("caller") && !action.equals("refused")) {
            throw new IllegalArgumentException("an author field's action is caller or refused: " + text);
        }
        boolean refused = action.equals("refused");
        String target = text.substring(0, arrow);
        int at = target.indexOf('@');
        if (at < 0) {
            return inBody(new Author(RequestField.parse(target, path), Form.USER, null, refused), text);
        }
        String name = target.substring(0, at);
        String key = target.substring(at + 1);
        if (name.isEmpty() || key.isEmpty()) {
            throw new IllegalArgumentException("an author field is FIELD@KEY: " + text);
        }
        RequestField field = RequestField.parse(name, path);
        Form form;
        if (name.endsWith("[]")) {
            form = Form.TAG_LIST;
        } else if (name.endsWith("{}")) {
            form = Form.TAG_MAP;
        } else if (key.equals(HUMAN)) {
            form = Form.SOURCE;
        } else {
            form = Form.TAG_KEY;
        }
        if (form == Form.TAG_KEY && !refused) {
            throw new IllegalArgumentException("a tag set or deleted on an existing object cannot be given to the caller, only refused: " + text);
        }
        if (form == Form.SOURCE && refused) {
            throw new IllegalArgumentException("an assessment's source is given to the caller, not refused: " + text);
        }
        Author author = new Author(field, form, form == Form.SOURCE ? null : key, refused);
        return form == Form.TAG_KEY ? author : inBody(author, text);
    }

    private static Author inBody(Author author, String text) {
        RequestField.Source source = author.field().source();
        if (source != RequestField.Source.REQUEST && source != RequestField.Source.BODY) {
            throw new IllegalArgumentException("the gateway rewrites author fields of the JSON body only: " + text);
        }
        return author;
    }
}
