package dev.jrun.oci;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * An OCI runtime-spec {@code config.json} (release 1.3), as {@link OciJson} reads and
 * writes it. Every field is optional here, exactly as written in the file;
 * {@link ConfigMapper} checks what the spec requires and turns it into a
 * {@link dev.jrun.Container}.
 *
 * <p>Fields the spec defines but jrun does not map (yet) are kept as the JSON
 * they hold (an {@code Object}: maps, lists, strings, numbers, booleans), so
 * that their presence can be refused by name instead of being ignored; fields
 * unknown to the spec are ignored, as the spec says.
 * Other platforms' sections ({@code windows}, {@code solaris}, {@code zos},
 * {@code freebsd}) do not apply to a Linux container and are not read.
 *
 * @param ociVersion  the spec version the configuration follows
 * @param process     the container's process
 * @param root        the root filesystem
 * @param hostname    the hostname
 * @param domainname  the NIS domain name
 * @param mounts      mounts on top of the root, in order
 * @param hooks       lifecycle hooks
 * @param annotations arbitrary metadata
 * @param linux       Linux-specific configuration
 * @param vm          a virtual machine to run the container in
 */
record Spec(String ociVersion, Process process, Root root, String hostname, String domainname,
                   List<Mount> mounts, Hooks hooks, Map<String, String> annotations, Linux linux, Object vm) {

    /**
     * The container's process.
     *
     * @param terminal        whether it runs on a pseudo-terminal
     * @param consoleSize     the terminal's size
     * @param user            the user it runs as
     * @param args            the command and its arguments
     * @param commandLine     the Windows command line
     * @param env             the environment, {@code NAME=VALUE} each
     * @param cwd             the working directory
     * @param capabilities    the capability sets
     * @param rlimits         resource limits
     * @param noNewPrivileges whether {@code no_new_privs} is set
     * @param apparmorProfile the AppArmor profile
     * @param oomScoreAdj     the OOM killer score adjustment
     * @param selinuxLabel    the SELinux label
     * @param scheduler       scheduling policy
     * @param ioPriority      I/O priority: an object with {@code class} and {@code priority}, kept as JSON
     *                        because {@code class} cannot name a record component
     * @param execCPUAffinity CPU affinity for {@code exec}
     */
    public record Process(Boolean terminal, ConsoleSize consoleSize, User user, List<String> args, String commandLine,
                          List<String> env, String cwd, Capabilities capabilities, List<Rlimit> rlimits,
                          Boolean noNewPrivileges, String apparmorProfile, Integer oomScoreAdj, String selinuxLabel,
                          Scheduler scheduler, Object ioPriority, Object execCPUAffinity) {
    }

    /**
     * A CPU scheduling policy, as {@code sched_setattr(2)} takes it.
     *
     * @param policy   {@code SCHED_OTHER}, {@code SCHED_FIFO}, {@code SCHED_RR}, {@code SCHED_BATCH},
     *                 {@code SCHED_IDLE} or {@code SCHED_DEADLINE}
     * @param nice     the nice value
     * @param priority the static priority
     * @param flags    {@code SCHED_FLAG_*} names
     * @param runtime  the deadline policy's runtime, nanoseconds
     * @param deadline the deadline policy's deadline, nanoseconds
     * @param period   the deadline policy's period, nanoseconds
     */
    public record Scheduler(String policy, Integer nice, Integer priority, List<String> flags, Long runtime,
                            Long deadline, Long period) {
    }

    /**
     * A terminal size in characters.
     *
     * @param height rows
     * @param width  columns
     */
    public record ConsoleSize(Integer height, Integer width) {
    }

    /**
     * The user a process runs as.
     *
     * @param uid            the user ID in the container
     * @param gid            the group ID in the container
     * @param umask          the file mode creation mask
     * @param additionalGids supplementary groups
     * @param username       the Windows user name
     */
    public record User(Long uid, Long gid, Integer umask, List<Long> additionalGids, String username) {
    }

    /**
     * The capability sets of a process, by {@code CAP_*} name.
     *
     * @param bounding    the bounding set
     * @param effective   the effective set
     * @param inheritable the inheritable set
     * @param permitted   the permitted set
     * @param ambient     the ambient set
     */
    public record Capabilities(List<String> bounding, List<String> effective, List<String> inheritable,
                               List<String> permitted, List<String> ambient) {
    }

    /**
     * A resource limit; values are unsigned 64-bit.
     *
     * @param type {@code RLIMIT_*}
     * @param soft the soft limit
     * @param hard the hard limit
     */
    public record Rlimit(String type, BigInteger soft, BigInteger hard) {
    }

    /**
     * The root filesystem.
     *
     * @param path     absolute, or relative to the bundle
     * @param readonly whether it is mounted read-only
     */
    public record Root(String path, Boolean readonly) {
    }

    /**
     * A mount.
     *
     * @param destination where in the container
     * @param type        the filesystem type
     * @param source      a device, a dummy, or for a bind mount a host path (absolute or relative to the bundle)
     * @param options     mount options
     * @param uidMappings user ID mappings of an idmapped mount
     * @param gidMappings group ID mappings of an idmapped mount
     */
    public record Mount(String destination, String type, String source, List<String> options,
                        List<IdMapping> uidMappings, List<IdMapping> gidMappings) {
    }

    /**
     * Lifecycle hooks, each list in the order they run.
     *
     * @param prestart        deprecated: like createRuntime
     * @param createRuntime   during create, in the runtime's namespaces, before the container's setup
     * @param createContainer during create, in the container's namespaces
     * @param startContainer  during start, in the container, before its command
     * @param poststart       after the command started
     * @param poststop        after delete
     */
    public record Hooks(List<Hook> prestart, List<Hook> createRuntime, List<Hook> createContainer,
                        List<Hook> startContainer, List<Hook> poststart, List<Hook> poststop) {
    }

    /**
     * A hook program.
     *
     * @param path    absolute path of the program
     * @param args    its arguments, {@code argv[0]} first
     * @param env     its environment
     * @param timeout seconds before it is killed
     */
    public record Hook(String path, List<String> args, List<String> env, Integer timeout) {
    }

    /**
     * Linux-specific configuration.
     *
     * @param namespaces        namespaces created or joined
     * @param uidMappings       user namespace user ID mappings
     * @param gidMappings       user namespace group ID mappings
     * @param timeOffsets       time namespace offsets, by clock ({@code monotonic}, {@code boottime})
     * @param devices           device nodes to create
     * @param cgroupsPath       the container's cgroup
     * @param resources         cgroup resource limits
     * @param intelRdt          Intel RDT
     * @param memoryPolicy      NUMA memory policy
     * @param sysctl            kernel parameters
     * @param seccomp           the seccomp filter
     * @param rootfsPropagation the root's mount propagation
     * @param maskedPaths       paths hidden from the container
     * @param readonlyPaths     paths made read-only
     * @param mountLabel        SELinux mount label
     * @param personality       execution domain
     * @param netDevices        network devices moved into the container
     */
    public record Linux(List<LinuxNamespace> namespaces, List<IdMapping> uidMappings, List<IdMapping> gidMappings,
                        Map<String, TimeOffset> timeOffsets, List<LinuxDevice> devices, String cgroupsPath, Resources resources,
                        Object intelRdt, Object memoryPolicy, Map<String, String> sysctl, Seccomp seccomp,
                        String rootfsPropagation, List<String> maskedPaths, List<String> readonlyPaths,
                        String mountLabel, Personality personality, Object netDevices) {
    }

    /**
     * How far a clock of a new time namespace is moved.
     *
     * @param secs     seconds, may be negative
     * @param nanosecs nanoseconds added, 0 to 999999999
     */
    public record TimeOffset(Long secs, Long nanosecs) {
    }

    /**
     * An execution domain.
     *
     * @param domain {@code LINUX} or {@code LINUX32}
     * @param flags  personality flags
     */
    public record Personality(String domain, List<String> flags) {
    }

    /**
     * A namespace.
     *
     * @param type {@code pid}, {@code network}, {@code mount}, {@code ipc}, {@code uts}, {@code user},
     *             {@code cgroup} or {@code time}
     * @param path the file of an existing namespace to join, or empty to create one
     */
    public record LinuxNamespace(String type, String path) {
    }

    /**
     * A user or group ID mapping.
     *
     * @param containerID the first ID in the container
     * @param hostID      the first ID on the host
     * @param size        how many IDs
     */
    public record IdMapping(Long containerID, Long hostID, Long size) {
    }

    /**
     * A device node.
     *
     * @param type     {@code c}, {@code b}, {@code u} or {@code p}
     * @param path     where in the container
     * @param major    major number
     * @param minor    minor number
     * @param fileMode permission bits (a decimal number in JSON)
     * @param uid      owner
     * @param gid      group
     */
    public record LinuxDevice(String type, String path, Long major, Long minor, Integer fileMode, Long uid, Long gid) {
    }

    /**
     * cgroup resource limits. The sections jrun cannot apply ({@code network}, {@code rdma}) are kept
     * as JSON, so that they can be refused by name.
     *
     * @param devices        the device allow list
     * @param memory         memory limits
     * @param cpu            CPU shares, quota and sets
     * @param pids           the process limit
     * @param blockIO        block I/O weights and throttles
     * @param hugepageLimits huge page limits
     * @param network        network class and priorities
     * @param rdma           RDMA limits
     * @param unified        cgroup v2 files, by name
     */
    public record Resources(List<DeviceRule> devices, Memory memory, Cpu cpu, Pids pids, BlockIO blockIO,
                            List<HugepageLimit> hugepageLimits, Object network, Object rdma,
                            Map<String, String> unified) {
    }

    /**
     * Block I/O limits. The throttles are kept as JSON, so that they can be refused by name.
     *
     * @param weight                  the relative weight, 10 to 1000
     * @param leafWeight              the weight of the cgroup's own tasks against its children
     * @param weightDevice            weights per device
     * @param throttleReadBpsDevice   read bytes per second, per device
     * @param throttleWriteBpsDevice  write bytes per second, per device
     * @param throttleReadIOPSDevice  read operations per second, per device
     * @param throttleWriteIOPSDevice write operations per second, per device
     */
    public record BlockIO(Integer weight, Integer leafWeight, List<WeightDevice> weightDevice,
                          Object throttleReadBpsDevice, Object throttleWriteBpsDevice, Object throttleReadIOPSDevice,
                          Object throttleWriteIOPSDevice) {
    }

    /**
     * The block I/O weights of one device.
     *
     * @param major      major number
     * @param minor      minor number
     * @param weight     the relative weight on the device, 10 to 1000
     * @param leafWeight the weight of the cgroup's own tasks against its children, on the device
     */
    public record WeightDevice(Long major, Long minor, Integer weight, Integer leafWeight) {
    }

    /**
     * A huge page limit.
     *
     * @param pageSize the page size, e.g. {@code 2MB}
     * @param limit    the limit in bytes (unsigned 64-bit)
     */
    public record HugepageLimit(String pageSize, BigInteger limit) {
    }

    /**
     * The seccomp filter.
     *
     * @param defaultAction    what happens to a system call no rule decides
     * @param defaultErrnoRet  the errno of the default action
     * @param architectures    the architectures the filter is written for
     * @param flags            flags the filter is loaded with
     * @param listenerPath     the socket of a user-space agent for {@code SCMP_ACT_NOTIFY}
     * @param listenerMetadata what the agent is told
     * @param syscalls         the rules, in order
     */
    public record Seccomp(String defaultAction, Integer defaultErrnoRet, List<String> architectures,
                          List<String> flags, String listenerPath, String listenerMetadata,
                          List<SeccompRule> syscalls) {
    }

    /**
     * A seccomp rule.
     *
     * @param names    the system calls
     * @param action   what happens when the rule applies
     * @param errnoRet the errno for {@code SCMP_ACT_ERRNO} and {@code SCMP_ACT_TRACE}
     * @param args     conditions on the arguments, all of which must hold
     */
    public record SeccompRule(List<String> names, String action, Integer errnoRet, List<SeccompArg> args) {
    }

    /**
     * A condition on a system call argument.
     *
     * @param index    which argument, 0 to 5
     * @param value    the value compared with (unsigned 64-bit)
     * @param valueTwo the second value, for {@code SCMP_CMP_MASKED_EQ}
     * @param op       the comparison, {@code SCMP_CMP_*}
     */
    public record SeccompArg(Integer index, BigInteger value, BigInteger valueTwo, String op) {
    }

    /**
     * A device cgroup rule.
     *
     * @param allow  allow or deny
     * @param type   {@code a}, {@code c} or {@code b}
     * @param major  major number, or all
     * @param minor  minor number, or all
     * @param access {@code r}, {@code w}, {@code m} in any combination
     */
    public record DeviceRule(Boolean allow, String type, Long major, Long minor, String access) {
    }

    /**
     * Memory limits, in bytes.
     *
     * @param limit             the hard limit
     * @param reservation       the soft limit
     * @param swap              memory plus swap
     * @param kernel            kernel memory (deprecated)
     * @param kernelTCP         kernel TCP buffers (deprecated)
     * @param swappiness        vmscan swappiness
     * @param disableOOMKiller  whether the OOM killer is off
     * @param useHierarchy      hierarchical accounting
     * @param checkBeforeUpdate check usage before lowering the limit
     */
    public record Memory(Long limit, Long reservation, Long swap, Long kernel, Long kernelTCP, BigInteger swappiness,
                         Boolean disableOOMKiller, Boolean useHierarchy, Boolean checkBeforeUpdate) {
    }

    /**
     * CPU limits.
     *
     * @param shares          relative weight
     * @param quota           microseconds per period
     * @param burst           extra microseconds per period
     * @param period          the period in microseconds
     * @param realtimeRuntime real-time microseconds per period
     * @param realtimePeriod  the real-time period
     * @param cpus            CPUs to run on, such as {@code 0-3,7}
     * @param mems            memory nodes
     * @param idle            SCHED_IDLE for the group
     */
    public record Cpu(BigInteger shares, Long quota, BigInteger burst, BigInteger period, Long realtimeRuntime,
                      BigInteger realtimePeriod, String cpus, String mems, Long idle) {
    }

    /**
     * The process limit.
     *
     * @param limit the most tasks, or -1 for none
     */
    public record Pids(Long limit) {
    }
}
