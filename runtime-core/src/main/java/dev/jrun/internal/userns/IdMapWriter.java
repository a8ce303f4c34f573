package dev.jrun.internal.userns;

import dev.jrun.internal.sys.Credentials;
import dev.jrun.internal.sys.KernelFiles;
import dev.jrun.model.IdMapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a waiting container's {@code uid_map} and {@code gid_map}. Root
 * writes them directly. A launcher that is not root may write only a map of
 * its own ID (and must deny setgroups first for a gid map); anything more goes
 * through the set-uid helpers {@code newuidmap}/{@code newgidmap}, which check
 * it against /etc/subuid and /etc/subgid.
 */
public final class IdMapWriter {

    private IdMapWriter() {
    }

    /**
     * Checks that a launcher with these effective ids, on the host {@code host} describes, can write the maps at all.
     *
     * @throws IllegalArgumentException when a helper the maps need is not installed
     */
    public static void checkWritable(IdMaps maps, long euid, long egid, HostIds host) {
        if (needsHelper(maps.uids(), euid, euid)) {
            requireHelper(host.newuidmap(), IdMapHelpers.NEWUIDMAP, "uid", maps.uids());
        }
        if (needsHelper(maps.gids(), euid, egid)) {
            requireHelper(host.newgidmap(), IdMapHelpers.NEWGIDMAP, "gid", maps.gids());
        }
    }

    /** Writes the maps of the user namespace process {@code pid} is in. */
    public static void write(int pid, IdMaps maps) {
        Path proc = Path.of("/proc", Integer.toString(pid));
        long euid = Credentials.effectiveUid();
        long egid = Credentials.effectiveGid();
        writeMap(proc, "uid_map", maps.uids(), needsHelper(maps.uids(), euid, euid), IdMapHelpers.NEWUIDMAP, pid);
        if (maps.setgroupsDenied(euid, egid)) {
            KernelFiles.write(proc.resolve("setgroups"), "deny");
        }
        writeMap(proc, "gid_map", maps.gids(), needsHelper(maps.gids(), euid, egid), IdMapHelpers.NEWGIDMAP, pid);
    }

    /** A launcher that is not root writes a map itself only when it maps just its own id ({@code ownId}). */
    private static boolean needsHelper(List<IdMapping> maps, long euid, long ownId) {
        return euid != 0 && !IdMaps.ownIdOnly(maps, ownId);
    }

    private static void requireHelper(boolean installed, String helper, String kind, List<IdMapping> maps) {
        if (!installed) {
            throw new IllegalArgumentException(kind + " mappings " + maps + " need " + helper
                    + " (Debian package uidmap) when jrun does not run as root, and it is not installed");
        }
    }

    private static void writeMap(Path proc, String file, List<IdMapping> maps, boolean helper, String helperName, int pid) {
        if (!helper) {
            KernelFiles.write(proc.resolve(file), IdMapping.mapFile(maps));
            return;
        }
        List<String> command = new ArrayList<>();
        command.add(IdMapHelpers.find(helperName).orElseThrow().toString());
        command.add(Integer.toString(pid));
        for (IdMapping map : maps) {
            command.add(Long.toString(map.containerId()));
            command.add(Long.toString(map.hostId()));
            command.add(Long.toString(map.size()));
        }
        run(command);
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit code " + exit + ")"
                        + (output.isEmpty() ? "" : ": " + output));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + command.getFirst() + " ran", e);
        }
    }
}
