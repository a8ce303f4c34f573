package dev.jrun.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.SeccompProfile;
import dev.jrun.SeccompProfile.Action;
import dev.jrun.SeccompProfile.Condition;
import dev.jrun.SeccompProfile.Operator;
import dev.jrun.SeccompProfile.Rule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads a seccomp profile file for {@code jrun run --seccomp}: the OCI
 * {@code linux.seccomp} object as JSON. Fields that only Docker's own format
 * has ({@code archMap}, {@code includes}, {@code excludes}) are refused rather
 * than ignored, since ignoring them would change what the profile allows.
 */
final class SeccompProfileFile {

    private static final Set<String> PROFILE_FIELDS =
            Set.of("defaultAction", "defaultErrnoRet", "architectures", "flags", "syscalls");
    private static final Set<String> RULE_FIELDS = Set.of("names", "action", "errnoRet", "args", "comment");
    private static final Set<String> ARG_FIELDS = Set.of("index", "value", "valueTwo", "op");

    private SeccompProfileFile() {
    }

    /**
     * {@return the profile in {@code file}}
     *
     * @throws IllegalArgumentException naming the file and what in it is wrong
     */
    static SeccompProfile read(Path file) {
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readString(file));
            return profile(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("seccomp profile " + file + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("read seccomp profile " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("seccomp profile " + file + ": " + e.getMessage(), e);
        }
    }

    private static SeccompProfile profile(JsonNode root) {
        requireKnownFields(root, PROFILE_FIELDS, "the profile");
        SeccompProfile profile = SeccompProfile.defaultAction(Action.parse(text(root, "defaultAction")));
        if (root.has("defaultErrnoRet")) {
            profile = profile.withDefaultErrnoRet(root.get("defaultErrnoRet").asInt());
        }
        profile = profile.withArchitectures(strings(root.path("architectures"))).withFlags(strings(root.path("flags")));
        List<Rule> rules = new ArrayList<>();
        for (JsonNode rule : root.path("syscalls")) {
            rules.add(rule(rule));
        }
        return profile.withRules(rules);
    }

    private static Rule rule(JsonNode node) {
        requireKnownFields(node, RULE_FIELDS, "a syscalls entry");
        OptionalInt errnoRet = node.has("errnoRet") ? OptionalInt.of(node.get("errnoRet").asInt()) : OptionalInt.empty();
        List<Condition> args = new ArrayList<>();
        for (JsonNode arg : node.path("args")) {
            requireKnownFields(arg, ARG_FIELDS, "an args entry");
            args.add(new Condition(arg.path("index").asInt(), unsigned(arg.path("value")), unsigned(arg.path("valueTwo")),
                    Operator.parse(text(arg, "op"))));
        }
        return new Rule(strings(node.path("names")), Action.parse(text(node, "action")), errnoRet, args);
    }

    private static void requireKnownFields(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown field \"" + name + "\" in " + where
                        + " (jrun reads the OCI linux.seccomp format; archMap, includes and excludes are Docker's own)");
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" is missing or not a string");
        }
        return value.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** Values are unsigned 64-bit numbers in JSON; those above Long.MAX_VALUE keep their bits. */
    private static long unsigned(JsonNode value) {
        return value.isBigInteger() ? value.bigIntegerValue().longValue() : new BigInteger(value.asText("0")).longValue();
    }
}
