package dev.jrun.cli;

import picocli.CommandLine.Option;

/**
 * runc's {@code create} and {@code run} flags that turn off parts of its set-up which jrun does
 * not have: accepted, so that engines and scripts written for runc run unchanged, and logged.
 */
final class RootSetupOptions {

    @Option(names = "--no-pivot",
            description = "runc's: enter the root without pivot_root. Accepted and ignored: jrun always enters it with"
                    + " pivot_root from a tmpfs of its own (a host whose / is a ramfs fails at that step).")
    private boolean noPivot;

    @Option(names = "--no-new-keyring",
            description = "runc's: keep the caller's session keyring. Accepted: jrun never makes a new one.")
    private boolean noNewKeyring;

    /** Says at debug level which of these flags changed nothing. */
    void logIgnored(CliLog log) {
        if (noPivot) {
            log.debug(() -> "--no-pivot: ignored, jrun enters the root with pivot_root from a tmpfs of its own");
        }
        if (noNewKeyring) {
            log.debug(() -> "--no-new-keyring: jrun never makes a new session keyring");
        }
    }
}
