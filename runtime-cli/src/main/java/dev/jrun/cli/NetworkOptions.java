package dev.jrun.cli;

import dev.jrun.Container;
import dev.jrun.model.Network;
import dev.jrun.model.PortMapping;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** {@code run}'s {@code --network} and {@code -p}, for an image and the host sandbox. */
final class NetworkOptions {

    @Option(names = "--network", paramLabel = "MODE", converter = ModeConverter.class,
            description = "none (loopback only; the sandbox's default), host (the host's network) or private"
                    + " (alias slirp4netns: a network of its own with outbound access through slirp4netns, the host's"
                    + " loopback at 10.0.2.2; an image's default).")
    private Network network;

    @Option(names = {"-p", "--publish"}, paramLabel = "[IP:]HOSTPORT:CONTAINERPORT[/udp]",
            converter = PortConverter.class,
            description = "Publish a container port on the host (repeatable; without IP on every address; needs the"
                    + " private network, which -p chooses for the sandbox).")
    private List<PortMapping> published = new ArrayList<>();

    /** {@return whether either option was given} */
    boolean given() {
        return network != null || !published.isEmpty();
    }

    /**
     * Applies the options to {@code builder}: the mode given; else private when ports are published,
     * else the builder's own (an image's private network, the sandbox's loopback).
     */
    void applyTo(Container.Builder builder) {
        if (network != null) {
            builder.network(network);
        } else if (!published.isEmpty()) {
            builder.network(Network.PRIVATE);
        }
        published.forEach(builder::publish);
    }

    /** A value parsed by the model's own parser, whose message picocli reports as the option's error. */
    private abstract static class ModelConverter<T> implements ITypeConverter<T> {
        private final Function<String, T> parser;

        ModelConverter(Function<String, T> parser) {
            this.parser = parser;
        }

        @Override
        public T convert(String value) {
            try {
                return parser.apply(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Parses {@code --network MODE}. */
    static final class ModeConverter extends ModelConverter<Network> {
        ModeConverter() {
            super(Network::named);
        }
    }

    /** Parses {@code -p [IP:]HOSTPORT:CONTAINERPORT[/udp]}. */
    static final class PortConverter extends ModelConverter<PortMapping> {
        PortConverter() {
            super(PortMapping::parse);
        }
    }
}
