package dev.jrun.internal.image;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry's {@code WWW-Authenticate} header: its scheme ({@code bearer} or {@code basic}) and
 * parameters ({@code realm}, {@code service}, {@code scope}), as RFC 7235 writes them.
 *
 * @param scheme     the scheme, lower case
 * @param parameters its parameters, names lower case
 */
record AuthChallenge(String scheme, Map<String, String> parameters) {

    private static final Pattern PARAMETER = Pattern.compile("([A-Za-z_]+)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]*))");

    AuthChallenge {
        parameters = Map.copyOf(parameters);
    }

    /** {@return the challenge of {@code header}, or empty when it has none} */
    static Optional<AuthChallenge> parse(String header) {
        String trimmed = header.strip();
        int space = trimmed.indexOf(' ');
        String scheme = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
        if (scheme.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new HashMap<>();
        if (space >= 0) {
            Matcher matcher = PARAMETER.matcher(trimmed.substring(space + 1));
            while (matcher.find()) {
                String value = matcher.group(2) != null ? matcher.group(2).replaceAll("\\\\(.)", "$1") : matcher.group(3);
                parameters.put(matcher.group(1).toLowerCase(Locale.ROOT), value);
            }
        }
        return Optional.of(new AuthChallenge(scheme, parameters));
    }

    Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }
}
