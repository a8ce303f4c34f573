package dev.jrun.internal.userns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the host says about the IDs a launcher may map into a user namespace: its subordinate ranges
 * in /etc/subuid and /etc/subgid, every ID some user, group or range of the host already uses, and
 * whether the set-uid helpers {@code newuidmap}/{@code newgidmap} are installed. Probed once, with the
 * other host facts; tests describe a host instead.
 *
 * @param subuids   the launcher's ranges in /etc/subuid
 * @param subgids   the launcher's ranges in /etc/subgid
 * @param taken     every range of /etc/subuid and /etc/subgid, and each uid of /etc/passwd and gid of
 *                  /etc/group as a range of one
 * @param newuidmap whether {@code newuidmap} is installed
 * @param newgidmap whether {@code newgidmap} is installed
 */
public record HostIds(List<SubordinateIds.Range> subuids, List<SubordinateIds.Range> subgids,
                      List<SubordinateIds.Range> taken, boolean newuidmap, boolean newgidmap) {

    private static final Path PASSWD = Path.of("/etc/passwd");
    private static final Path GROUP = Path.of("/etc/group");

    public HostIds {
        subuids = List.copyOf(subuids);
        subgids = List.copyOf(subgids);
        taken = List.copyOf(taken);
    }

    /**
     * {@return the facts of this host for the launcher {@code user} with effective uid {@code uid}: its
     * ranges are listed under its name or its number}
     */
    public static HostIds probe(String user, long uid) {
        List<SubordinateIds.Range> taken = Stream.of(SubordinateIds.all(SubordinateIds.SUBUID).stream(),
                        SubordinateIds.all(SubordinateIds.SUBGID).stream(), idsIn(PASSWD, 2), idsIn(GROUP, 2))
                .flatMap(s -> s)
                .toList();
        return new HostIds(SubordinateIds.of(SubordinateIds.SUBUID, user, uid),
                SubordinateIds.of(SubordinateIds.SUBGID, user, uid), taken,
                IdMapHelpers.find(IdMapHelpers.NEWUIDMAP).isPresent(), IdMapHelpers.find(IdMapHelpers.NEWGIDMAP).isPresent());
    }

    /** {@return the numeric field {@code index} of each line of a passwd-style file, as ranges of one} */
    private static Stream<SubordinateIds.Range> idsIn(Path file, int index) {
        if (!Files.isReadable(file)) {
            return Stream.empty();
        }
        try {
            return Files.readAllLines(file).stream()
                    .map(line -> line.split(":"))
                    .filter(fields -> fields.length > index && fields[index].matches("\\d+"))
                    .map(fields -> new SubordinateIds.Range(Long.parseLong(fields[index]), 1));
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
    }
}
