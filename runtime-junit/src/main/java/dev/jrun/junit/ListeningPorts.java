package dev.jrun.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The TCP ports that listen in a process's network namespace, from the kernel's socket tables
 * ({@code /proc/<pid>/net/tcp} and {@code tcp6}): a line per socket, whose second field is the
 * local address as {@code HEXADDR:HEXPORT} and whose fourth is the state, {@code 0A} for LISTEN.
 */
final class ListeningPorts {

    private static final String LISTEN = "0A";

    private ListeningPorts() {
    }

    /** {@return the listening ports in the network namespace of {@code pid}} */
    static Set<Integer> of(int pid) {
        Set<Integer> ports = new HashSet<>();
        for (String table : new String[] {"tcp", "tcp6"}) {
            ports.addAll(parse(read(Path.of("/proc", Integer.toString(pid), "net", table))));
        }
        return ports;
    }

    /** {@return the listening ports of one socket table's text} */
    static Set<Integer> parse(String table) {
        Set<Integer> ports = new HashSet<>();
        table.lines().skip(1).map(String::strip).map(line -> line.split("\\s+")).forEach(fields -> {
            if (fields.length > 3 && fields[3].equals(LISTEN)) {
                String local = fields[1];
                ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
            }
        });
        return ports;
    }

    private static String read(Path table) {
        try {
            return Files.readString(table);
        } catch (NoSuchFileException e) {
            // No IPv6 in that namespace, or the process is gone: nothing listens there.
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException("read " + table, e);
        }
    }
}
