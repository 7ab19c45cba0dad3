package io.github.mlflowkeycloak.check;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One SPI option of the extension, {@code --spi-realm-restapi-extension--mlflow--<name>}: declared to
 * Keycloak with its type, help and default ({@link CheckSettings#OPTIONS}), and read once at start,
 * where a malformed value stops Keycloak.
 *
 * @param name         the option's name within the provider's scope, in Keycloak's dash case
 * @param type         its type as Keycloak's own SPI options declare theirs ({@code string}, {@code int})
 * @param defaultValue what an unset option reads as; null for none
 * @param secret       shown only as set or not set, never its value; its parse quotes it in no error
 * @param help         what it sets, for the admin console's provider info and the README
 * @param parse        from the configured text (or the default) to the value; throws
 *                     IllegalArgumentException saying what is expected
 */
record Option<T>(String name, String type, String defaultValue, boolean secret, String help, Function<String, T> parse) {

    private static final String SCOPE = "spi-realm-restapi-extension--" + CheckResourceProviderFactory.ID + "--";

    /** A number from {@code minimum} up. */
    static Option<Integer> number(String name, int defaultValue, int minimum, String help) {
        return new Option<>(name, "int", Integer.toString(defaultValue), false, help, text -> {
            int value;
            try {
                value = Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a whole number");
            }
            if (value < minimum) {
                throw new IllegalArgumentException("must be " + minimum + " or more, not " + value);
            }
            return value;
        });
    }

    /** The name Keycloak's command line takes, {@code --spi-realm-restapi-extension--mlflow--<name>}. */
    String optionName() {
        return "--" + SCOPE + name;
    }

    /** The environment variable Keycloak reads the option from. */
    String environmentVariable() {
        return ("KC_" + SCOPE + name).replace("--", "__").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** The value of the configured text, or of the default when the option is not set. */
    T read(String configured) {
        try {
            return parse.apply(configured != null ? configured : defaultValue);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid value for option '" + optionName() + "': " + e.getMessage(), e);
        }
    }

    /** How the admin console's provider info shows the option: a secret as set or not set alone. */
    String shown(String configured, Object value) {
        if (secret) {
            return configured == null || configured.isBlank() ? "not set" : "set";
        }
        if (value instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return value instanceof Optional<?> optional ? optional.map(String::valueOf).orElse("") : String.valueOf(value);
    }
}
