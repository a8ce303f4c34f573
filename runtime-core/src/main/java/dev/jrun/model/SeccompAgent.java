package dev.jrun.model;

/**
 * Where the listener of a container's seccomp filter goes when its profile notifies a user-space
 * agent ({@link SeccompProfile.Action#NOTIFY}): the agent receives each notified system call from
 * the listener ({@code SECCOMP_IOCTL_NOTIF_RECV}) and answers it ({@code SECCOMP_IOCTL_NOTIF_SEND}).
 * The OCI runtime's agent sends the listener over a Unix socket, with the container's state, as
 * runc does for {@code linux.seccomp.listenerPath}.
 *
 * <p>The launcher calls it once per process that loads the filter, after the filter is loaded and
 * before the process goes on: its later notified calls wait for the agent. When every copy of the
 * listener is closed, notified calls fail with {@code ENOSYS}.
 */
@FunctionalInterface
public interface SeccompAgent {

    /**
     * Takes the listener. The launcher closes {@code listener} when this returns: to keep it, pass it
     * on ({@code SCM_RIGHTS}) or duplicate it.
     *
     * @param pid      the process that loaded the filter, as the launcher sees it
     * @param listener the filter's listener descriptor, open in the launcher's process
     * @throws RuntimeException when the agent cannot take it: the launch fails and the container is killed
     */
    void take(int pid, int listener);
}
