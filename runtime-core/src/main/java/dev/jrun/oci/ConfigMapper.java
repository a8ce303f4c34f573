package dev.jrun.oci;

import dev.jrun.Container;
import dev.jrun.bindings.Libc;
import dev.jrun.internal.plan.NamespacedSettings;
import dev.jrun.internal.plan.SecurityModules;
import dev.jrun.internal.sys.Descriptors;
import dev.jrun.model.FilesystemSetup.DeviceType;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;
import dev.jrun.model.Personality;
import dev.jrun.model.SystemCallException;
import dev.jrun.model.TimeOffsets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Maps an OCI {@link Spec} onto the core's types: a {@link Container.Builder}
 * with its {@link NamespaceSet} and {@link FilesystemSetup}, ready for the
 * lifecycle's own settings (start gate, hooks, descriptors).
 *
 * <p>Everything is checked before anything is created, and every problem is
 * reported at once, each at its JSON path: what the spec forbids, and what
 * jrun does not support yet, by name (a string with a NUL byte is refused
 * before the rest is looked at: {@link NulBytes}). The security sections are
 * mapped by {@link SecurityMapping}.
 */
final class ConfigMapper {

    /** The OCI names of the namespace kinds. */
    private static final Map<String, Namespace> NAMESPACES = Map.of(
            "pid", Namespace.PID, "network", Namespace.NETWORK, "mount", Namespace.MOUNT, "ipc", Namespace.IPC,
            "uts", Namespace.UTS, "user", Namespace.USER, "cgroup", Namespace.CGROUP, "time", Namespace.TIME);
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)([-+].*)?");
    private static final int DEFAULT_DEVICE_MODE = 0666;
    private static final int PERMISSION_BITS = 07777;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Filesystems runc mounts without the SELinux mount label: the kernel labels them itself. */
    private static final Set<String> UNLABELLED_TYPES = Set.of("proc", "sysfs", "cgroup", "cgroup2", "mqueue");

    private final Spec spec;
    private final Path bundle;
    private final SecurityModules modules;
    private final Problems problems = new Problems();

    private ConfigMapper(Spec spec, Path bundle, SecurityModules modules) {
        this.spec = spec;
        this.bundle = bundle;
        this.modules = modules;
    }

    /**
     * {@return a builder for the container {@code spec} describes}
     *
     * @param spec       the configuration
     * @param bundle     the bundle directory, which relative paths are relative to
     * @param configFile the file {@code spec} was read from, for messages
     * @param modules    the security modules the host has enabled: labels for the others are left out
     * @param notes      where the fields left out are reported
     * @throws InvalidConfigException listing every problem found
     */
    public static Container.Builder map(Spec spec, Path bundle, Path configFile, SecurityModules modules,
                                        ConfigNotes notes) {
        refuseNulBytes(spec, configFile);
        ConfigMapper mapper = new ConfigMapper(spec, bundle.toAbsolutePath(), modules);
        Container.Builder builder = mapper.map();
        mapper.problems.throwIfAny(configFile);
        notes.report(mapper.problems);
        return builder;
    }

    /**
     * {@return a builder for a process run in the running container whose first process is {@code pid}}
     * The process gets the container's seccomp filter, as with runc.
     *
     * @param process     the process ({@code exec}'s process.json, or built from its options)
     * @param pid         the container's first process, as the host sees it
     * @param container   the container's configuration
     * @param processFile where the process comes from, for messages
     * @param modules     the security modules the host has enabled: labels for the others are left out
     * @param notes       where the fields left out are reported
     * @throws InvalidConfigException listing every problem found
     */
    public static Container.Builder mapExec(Spec.Process process, int pid, Spec container, Path processFile,
                                            SecurityModules modules, ConfigNotes notes) {
        refuseNulBytes(process, processFile);
        Problems problems = new Problems();
        Container.Builder builder = Container.builder()
                .inheritHostname()
                .namespaces(NamespaceSet.joiningAllOf(pid))
                .filesystem(FilesystemSetup.unchanged());
        mapProcess(process, "", builder, problems);
        if (process.cwd() != null && process.cwd().startsWith("/")) {
            builder.filesystem(FilesystemSetup.unchanged().withWorkingDirectory(process.cwd()));
        }
        SecurityMapping.applyProcess(process, "", modules, builder, problems);
        SeccompMapping.apply(container.linux() == null ? null : container.linux().seccomp(), "linux.seccomp",
                builder, problems);
        problems.throwIfAny(processFile);
        notes.report(problems);
        return builder;
    }

    /** First of all: later checks would hand a string with a NUL byte to the kernel or to {@code Path.of}. */
    private static void refuseNulBytes(Object configuration, Path file) {
        Problems problems = new Problems();
        NulBytes.find(configuration, "", problems);
        problems.throwIfAny(file);
    }

    private Container.Builder map() {
        Container.Builder builder = Container.builder();
        checkVersion();
        if (spec.vm() != null) {
            problems.add("vm", "running a container in a virtual machine is not supported");
        }
        checkHooks();
        checkAnnotations();
        NamespaceSet namespaces = namespaces();
        builder.namespaces(namespaces);
        if (spec.linux() != null) {
            timeOffsets(spec.linux().timeOffsets(), namespaces, builder);
            personality(spec.linux().personality(), builder);
        }
        if (spec.process() == null) {
            problems.add("process", "missing: jrun needs the process when it creates a container");
        } else {
            mapProcess(spec.process(), "process", builder, problems);
        }
        hostNames(builder);
        FilesystemSetup filesystem = filesystem();
        builder.filesystem(filesystem);
        Map<String, String> sysctls = spec.linux() == null || spec.linux().sysctl() == null
                ? Map.of() : spec.linux().sysctl();
        sysctls.forEach((name, value) -> problems.at(sysctlPath(name), () -> builder.sysctl(name, value)));
        refuseSharedNamespaceSettings(sysctls.keySet(), namespaces);
        SecurityMapping.apply(spec, namespaces, modules, builder, problems);
        return builder;
    }

    private void checkVersion() {
        String version = spec.ociVersion();
        if (version == null) {
            problems.add("ociVersion", "missing");
            return;
        }
        var matcher = VERSION.matcher(version);
        if (!matcher.matches()) {
            problems.add("ociVersion", "\"" + version + "\" is not a version such as 1.3.0");
        } else if (!matcher.group(1).equals("1")) {
            problems.add("ociVersion", "jrun speaks version 1 of the OCI runtime spec, not " + version);
        }
    }

    private static void mapProcess(Spec.Process process, String path, Container.Builder builder, Problems problems) {
        String at = path.isEmpty() ? "" : path + ".";
        if (process.args() == null || process.args().isEmpty()) {
            problems.add(at + "args", "at least one argument is required");
        } else {
            problems.at(at + "args", () -> builder.command(process.args()));
        }
        if (process.commandLine() != null) {
            problems.add(at + "commandLine", "is for Windows containers: use args");
        }
        if (process.cwd() == null || !process.cwd().startsWith("/")) {
            problems.add(at + "cwd", "must be an absolute path" + (process.cwd() == null ? "" : ": " + process.cwd()));
        }
        boolean terminal = Boolean.TRUE.equals(process.terminal());
        builder.terminal(terminal).clearEnvironment();
        List<String> env = process.env() == null ? List.of() : process.env();
        for (int i = 0; i < env.size(); i++) {
            String variable = env.get(i);
            int equals = variable == null ? -1 : variable.indexOf('=');
            if (equals <= 0) {
                problems.add(at + "env[" + i + "]", "\"" + variable + "\" is not NAME=VALUE");
            } else {
                problems.at(at + "env[" + i + "]",
                        () -> builder.environment(variable.substring(0, equals), variable.substring(equals + 1)));
            }
        }
        if (process.user() != null && process.user().username() != null) {
            problems.add(at + "user.username", "is for Windows containers: use uid and gid");
        }
        SchedulingMapping.apply(process, at, builder, problems);
        refuseIfPresent(process.execCPUAffinity(), at + "execCPUAffinity", problems);
        Spec.ConsoleSize size = process.consoleSize();
        if (terminal && size != null && (size.width() == null || size.height() == null
                || size.width() < 0 || size.height() < 0)) {
            problems.add(at + "consoleSize", "needs a width and a height, neither negative");
        } else if (terminal && size != null && size.width() > 0 && size.height() > 0) {
            // Sized when it is opened: an exec'd command runs at once and may ask for its size.
            problems.at(at + "consoleSize", () -> builder.terminalSize(size.width(), size.height()));
        }
    }

    private void hostNames(Container.Builder builder) {
        builder.inheritHostname();
        if (hasText(spec.hostname())) {
            problems.at(NamespacedSettings.HOSTNAME, () -> builder.hostname(spec.hostname()));
        }
        if (hasText(spec.domainname())) {
            problems.at(NamespacedSettings.DOMAINNAME, () -> builder.domainname(spec.domainname()));
        }
    }

    /** The builder's rule, checked here to report each refusal at its JSON path. */
    private void refuseSharedNamespaceSettings(Set<String> sysctls, NamespaceSet namespaces) {
        List<String> hostNames = new ArrayList<>();
        if (hasText(spec.hostname())) {
            hostNames.add(NamespacedSettings.HOSTNAME);
        }
        if (hasText(spec.domainname())) {
            hostNames.add(NamespacedSettings.DOMAINNAME);
        }
        for (NamespacedSettings.Refusal refused : NamespacedSettings.refusals(hostNames, sysctls, namespaces)) {
            if (refused.sysctl()) {
                problems.add(sysctlPath(refused.setting()), refused.message());
            } else {
                problems.add(refused.setting(), "needs a uts namespace apart from the host's, which linux.namespaces neither creates nor joins");
            }
        }
    }

    private static String sysctlPath(String name) {
        return "linux.sysctl[\"" + name + "\"]";
    }

    private static boolean hasText(String value) {
        return value != null && !value.isEmpty();
    }

    private NamespaceSet namespaces() {
        NamespaceSet set = NamespaceSet.of();
        List<Spec.LinuxNamespace> entries = spec.linux() == null || spec.linux().namespaces() == null
                ? List.of() : spec.linux().namespaces();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String at = "linux.namespaces[" + i + "]";
            Spec.LinuxNamespace entry = entries.get(i);
            Namespace kind = entry.type() == null ? null : NAMESPACES.get(entry.type());
            if (kind == null) {
                problems.add(at + ".type", entry.type() == null ? "missing"
                        : "unknown namespace \"" + entry.type() + "\" (known: " + String.join(", ", sortedNamespaceNames()) + ")");
                continue;
            }
            if (!seen.add(entry.type())) {
                problems.add(at + ".type", "\"" + entry.type() + "\" is listed twice");
                continue;
            }
            if (entry.path() == null || entry.path().isEmpty()) {
                set = set.with(kind);
            } else if (kind == Namespace.MOUNT) {
                problems.add(at + ".path", "joining a mount namespace is not supported: jrun builds the container's"
                        + " filesystem in a new one");
            } else if (!entry.path().startsWith("/")) {
                problems.add(at + ".path", "must be an absolute path: " + entry.path());
            } else {
                Optional<String> unopenable = openFailure(kind, entry.path());
                if (unopenable.isPresent()) {
                    problems.add(at + ".path", unopenable.get());
                } else {
                    set = set.joining(kind, Path.of(entry.path()));
                }
            }
        }
        if (!set.creates(Namespace.MOUNT) && !seen.contains("mount")) {
            problems.add("linux.namespaces", "jrun needs a mount namespace (type \"mount\") to set up the root filesystem");
        }
        return set;
    }

    /** The offsets apply to a time namespace jrun creates: a joined one's clocks were set by its creator. */
    private void timeOffsets(Map<String, Spec.TimeOffset> offsets, NamespaceSet namespaces, Container.Builder builder) {
        if (offsets == null || offsets.isEmpty()) {
            return;
        }
        if (!namespaces.creates(Namespace.TIME)) {
            problems.add("linux.timeOffsets", "needs a new time namespace: linux.namespaces must have {\"type\": \"time\"}"
                    + " without a path");
            return;
        }
        Duration monotonic = Duration.ZERO;
        Duration boottime = Duration.ZERO;
        for (Map.Entry<String, Spec.TimeOffset> clock : offsets.entrySet()) {
            String at = "linux.timeOffsets." + clock.getKey();
            Duration offset = timeOffset(clock.getValue(), at);
            switch (clock.getKey()) {
                case "monotonic" -> monotonic = offset;
                case "boottime" -> boottime = offset;
                default -> problems.add(at, "unknown clock (known: boottime, monotonic)");
            }
        }
        builder.timeOffsets(new TimeOffsets(monotonic, boottime));
    }

    private Duration timeOffset(Spec.TimeOffset offset, String at) {
        long secs = offset == null || offset.secs() == null ? 0 : offset.secs();
        long nanos = offset == null || offset.nanosecs() == null ? 0 : offset.nanosecs();
        if (nanos < 0 || nanos >= NANOS_PER_SECOND) {
            problems.add(at + ".nanosecs", nanos + " is not between 0 and " + (NANOS_PER_SECOND - 1));
            return Duration.ZERO;
        }
        return Duration.ofSeconds(secs, nanos);
    }

    private void personality(Spec.Personality personality, Container.Builder builder) {
        if (personality == null) {
            return;
        }
        if (personality.flags() != null && !personality.flags().isEmpty()) {
            problems.add("linux.personality.flags", "personality flags are not supported");
        }
        String domain = personality.domain();
        if (domain == null) {
            problems.add("linux.personality.domain", "missing");
            return;
        }
        // The OCI names are the enum's.
        Arrays.stream(Personality.values()).filter(known -> known.name().equals(domain)).findFirst()
                .ifPresentOrElse(builder::personality, () -> problems.add("linux.personality.domain",
                        "unknown domain \"" + domain + "\" (known: " + Arrays.stream(Personality.values())
                                .map(Personality::name).collect(Collectors.joining(", ")) + ")"));
    }

    /**
     * Opens a namespace file the way the launch will ({@code O_RDONLY}; non-blocking and without
     * becoming a controlling terminal, in case it is neither), so that one it cannot open is refused
     * now with the real errno: EACCES is not ENOENT. {@return the failure, if it failed}
     */
    private static Optional<String> openFailure(Namespace kind, String path) {
        try {
            Descriptors.close(Descriptors.open(path, Libc.O_RDONLY() | Libc.O_NONBLOCK() | Libc.O_NOCTTY()));
            return Optional.empty();
        } catch (SystemCallException e) {
            return Optional.of(new SystemCallException("open " + kind.procName() + " namespace " + path, e.errno())
                    .getMessage());
        }
    }

    private static List<String> sortedNamespaceNames() {
        return NAMESPACES.keySet().stream().sorted().toList();
    }

    private FilesystemSetup filesystem() {
        FilesystemSetup setup = FilesystemSetup.rootfs(rootPath())
                .withProc(false).withDev(false).withSys(false).withDefaultDevices(true).withAllUnmasked()
                .withReadOnlyRoot(spec.root() != null && Boolean.TRUE.equals(spec.root().readonly()));
        if (spec.process() != null && spec.process().cwd() != null && spec.process().cwd().startsWith("/")) {
            setup = setup.withWorkingDirectory(spec.process().cwd());
        }
        setup = mounts(setup);
        Spec.Linux linux = spec.linux();
        if (linux == null) {
            return setup;
        }
        if (hasText(linux.mountLabel()) && !modules.selinux()) {
            problems.ignore("linux.mountLabel", "SELinux is not enabled on this host", false);
        }
        setup = devices(setup, linux.devices());
        setup = paths(setup, linux.maskedPaths(), "linux.maskedPaths", true);
        setup = paths(setup, linux.readonlyPaths(), "linux.readonlyPaths", false);
        if (linux.rootfsPropagation() != null && !linux.rootfsPropagation().isEmpty()) {
            FilesystemSetup current = setup;
            setup = problems.at("linux.rootfsPropagation",
                    () -> current.withRootPropagation(linux.rootfsPropagation()), current);
        }
        refuseIfPresent(linux.intelRdt(), "linux.intelRdt", problems);
        refuseIfPresent(linux.memoryPolicy(), "linux.memoryPolicy", problems);
        refuseIfPresent(linux.netDevices(), "linux.netDevices", problems);
        return setup;
    }

    /** {@return the directory {@code root.path} names: relative to the bundle, unless absolute} */
    static Path rootDirectory(Path bundle, Spec.Root root) {
        return bundle.resolve(root.path()).normalize();
    }

    private Path rootPath() {
        if (spec.root() == null || spec.root().path() == null || spec.root().path().isEmpty()) {
            problems.add("root.path", "missing: a Linux container needs a root filesystem");
            return bundle;
        }
        Path root = rootDirectory(bundle, spec.root());
        if (!Files.isDirectory(root)) {
            problems.add("root.path", root + (Files.exists(root) ? " is not a directory" : " does not exist"));
            return bundle;
        }
        return root;
    }

    private FilesystemSetup mounts(FilesystemSetup setup) {
        List<Spec.Mount> mounts = spec.mounts() == null ? List.of() : spec.mounts();
        for (int i = 0; i < mounts.size(); i++) {
            String at = "mounts[" + i + "]";
            Spec.Mount mount = mounts.get(i);
            if (mount.destination() == null || mount.destination().isEmpty()) {
                problems.add(at + ".destination", "missing");
                continue;
            }
            if (isNotEmpty(mount.uidMappings()) || isNotEmpty(mount.gidMappings())) {
                problems.add(at, "idmapped mounts (uidMappings, gidMappings) are not supported yet");
                continue;
            }
            List<String> options = mount.options() == null ? List.of() : mount.options();
            boolean bind = options.contains("bind") || options.contains("rbind") || "bind".equals(mount.type());
            String type = mount.type() != null ? mount.type() : bind ? "bind" : null;
            if (type == null) {
                problems.add(at + ".type", "missing: only a bind mount may leave it out");
                continue;
            }
            // Relative destinations are deprecated, but the spec still has them mean relative to "/".
            String destination = mount.destination().startsWith("/") ? mount.destination() : "/" + mount.destination();
            String source = bind ? bindSource(mount.source(), at) : mount.source() == null ? type : mount.source();
            if (source == null) {
                continue;
            }
            List<String> labelled = bind || UNLABELLED_TYPES.contains(type) ? options : withMountLabel(options);
            FilesystemSetup current = setup;
            setup = problems.at(at, () -> current.withMount(
                    new FilesystemSetup.Generic(type, source, destination, labelled)), current);
        }
        return setup;
    }

    /** {@return the options with SELinux's {@code context} option for the mount label, where SELinux is enabled} */
    private List<String> withMountLabel(List<String> options) {
        String label = spec.linux() == null ? null : spec.linux().mountLabel();
        if (!hasText(label) || !modules.selinux()) {
            return options;
        }
        List<String> labelled = new ArrayList<>(options);
        labelled.add("context=\"" + label + "\"");
        return labelled;
    }

    private static boolean isNotEmpty(List<?> list) {
        return list != null && !list.isEmpty();
    }

    /** {@return a bind mount's source, relative to the bundle unless absolute, or null when it does not exist} */
    private String bindSource(String source, String at) {
        if (source == null || source.isEmpty()) {
            problems.add(at + ".source", "missing: a bind mount needs a source");
            return null;
        }
        Path path = bundle.resolve(source).normalize();
        if (!Files.exists(path)) {
            problems.add(at + ".source", path + " does not exist");
            return null;
        }
        return path.toString();
    }

    private FilesystemSetup devices(FilesystemSetup setup, List<Spec.LinuxDevice> devices) {
        if (devices == null) {
            return setup;
        }
        for (int i = 0; i < devices.size(); i++) {
            String at = "linux.devices[" + i + "]";
            Spec.LinuxDevice device = devices.get(i);
            DeviceType type = device.type() == null ? null : switch (device.type()) {
                case "c", "u" -> DeviceType.CHARACTER;
                case "b" -> DeviceType.BLOCK;
                case "p" -> DeviceType.FIFO;
                default -> null;
            };
            if (type == null) {
                problems.add(at + ".type", device.type() == null ? "missing"
                        : "unknown device type \"" + device.type() + "\" (known: c, b, u, p)");
                continue;
            }
            if (device.path() == null || !device.path().startsWith("/")) {
                problems.add(at + ".path", "must be an absolute path" + (device.path() == null ? "" : ": " + device.path()));
                continue;
            }
            if (type != DeviceType.FIFO && (device.major() == null || device.minor() == null)) {
                problems.add(at, "major and minor are required for a " + device.type() + " device");
                continue;
            }
            long major = device.major() == null ? 0 : device.major();
            long minor = device.minor() == null ? 0 : device.minor();
            // Engines send the file-type bits too (podman: 020600 for a character device); the type is
            // linux.devices[].type, so only the permission bits are kept, as runc does.
            int mode = device.fileMode() == null ? DEFAULT_DEVICE_MODE : device.fileMode() & PERMISSION_BITS;
            FilesystemSetup current = setup;
            setup = problems.at(at, () -> current.withDevice(new FilesystemSetup.Device(device.path(), type,
                    major, minor, mode, optionalId(device.uid()), optionalId(device.gid()))), current);
        }
        return setup;
    }

    private static OptionalInt optionalId(Long id) {
        return id == null ? OptionalInt.empty() : OptionalInt.of(id.intValue());
    }

    private FilesystemSetup paths(FilesystemSetup setup, List<String> paths, String at, boolean masked) {
        if (paths == null) {
            return setup;
        }
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            FilesystemSetup current = setup;
            setup = problems.at(at + "[" + i + "]",
                    () -> masked ? current.withMaskedPath(path) : current.withReadOnlyPath(path), current);
        }
        return setup;
    }

    private void checkHooks() {
        Spec.Hooks hooks = spec.hooks();
        if (hooks == null) {
            return;
        }
        checkHooks("hooks.prestart", hooks.prestart());
        checkHooks("hooks.createRuntime", hooks.createRuntime());
        checkHooks("hooks.createContainer", hooks.createContainer());
        checkHooks("hooks.startContainer", hooks.startContainer());
        checkHooks("hooks.poststart", hooks.poststart());
        checkHooks("hooks.poststop", hooks.poststop());
    }

    private void checkHooks(String at, List<Spec.Hook> hooks) {
        if (hooks == null) {
            return;
        }
        for (int i = 0; i < hooks.size(); i++) {
            Spec.Hook hook = hooks.get(i);
            if (hook.path() == null || !hook.path().startsWith("/")) {
                problems.add(at + "[" + i + "].path", "must be an absolute path" + (hook.path() == null ? "" : ": " + hook.path()));
            }
            if (hook.timeout() != null && hook.timeout() <= 0) {
                problems.add(at + "[" + i + "].timeout", "must be greater than zero, not " + hook.timeout());
            }
        }
    }

    private void checkAnnotations() {
        if (spec.annotations() != null && spec.annotations().containsKey("")) {
            problems.add("annotations", "a key must not be empty");
        }
    }

    private static void refuseIfPresent(Object value, String path, Problems problems) {
        if (value != null) {
            problems.unsupported(path);
        }
    }
}
