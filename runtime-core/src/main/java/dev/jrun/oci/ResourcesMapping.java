package dev.jrun.oci;

import dev.jrun.model.BlockIoDeviceWeight;
import dev.jrun.model.DeviceRule;
import dev.jrun.model.Resources;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.BiFunction;

/**
 * {@code linux.resources} (and the device nodes of {@code linux.devices})
 * onto the container's cgroup {@link Resources}, with the OCI spec's names and
 * units. What jrun's cgroup drivers cannot apply (network classes, RDMA,
 * block I/O throttles, CPU burst...) is refused by name; the
 * deprecated kernel memory limits are ignored with a warning, as runc does.
 *
 * <p>Device rules follow runc: the configuration's rules apply first (none
 * means every device is denied), then the devices every container needs
 * ({@link DeviceRule#containerDefaults()}: null, zero, full, random, urandom,
 * tty, console, ptmx, pseudo-terminals, and creating nodes). So podman's
 * single deny-all rule gives a container a working {@code /dev}. A node of
 * {@code linux.devices} is created, not allowed: the rules decide whether it
 * can be opened, so a configuration can make a node and deny it.
 */
final class ResourcesMapping {

    private static final String PATH = "linux.resources";
    private static final String DEVICE_ACCESS = "rwm";
    private static final BigInteger UNSET_SWAPPINESS = BigInteger.ONE.shiftLeft(Long.SIZE).subtract(BigInteger.ONE);

    private final Problems problems;
    private Resources resources = Resources.none();

    private ResourcesMapping(Problems problems) {
        this.problems = problems;
    }

    /** {@return the container's cgroup resources from its {@code linux} section (null: none)} */
    static Resources map(Spec.Linux linux, Problems problems) {
        ResourcesMapping mapping = new ResourcesMapping(problems);
        Spec.Resources section = linux == null ? null : linux.resources();
        mapping.devices(section == null ? null : section.devices());
        if (section != null) {
            mapping.memory(section.memory());
            mapping.cpu(section.cpu());
            if (section.pids() != null) {
                mapping.set(section.pids().limit(), PATH + ".pids.limit", Resources::withPidsLimit);
            }
            mapping.blockIo(section.blockIO());
            mapping.hugepages(section.hugepageLimits());
            mapping.refuse(section.network(), PATH + ".network", "network classes and priorities are not supported");
            mapping.refuse(section.rdma(), PATH + ".rdma", "RDMA limits are not supported");
            if (section.unified() != null) {
                section.unified().forEach((file, value) ->
                        mapping.set(value, PATH + ".unified[\"" + file + "\"]", (r, v) -> r.withUnified(file, v)));
            }
        }
        return mapping.resources;
    }

    private void devices(List<Spec.DeviceRule> rules) {
        if (rules == null || rules.isEmpty()) {
            resources = resources.withDevice(DeviceRule.denyAll());
        }
        List<Spec.DeviceRule> entries = rules == null ? List.of() : rules;
        for (int i = 0; i < entries.size(); i++) {
            Spec.DeviceRule rule = entries.get(i);
            String at = PATH + ".devices[" + i + "]";
            if (rule.allow() == null) {
                problems.add(at + ".allow", "missing");
                continue;
            }
            String access = access(rule.access(), at + ".access");
            set(rule, at, (r, entry) -> r.withDevice(new DeviceRule(entry.allow(),
                    DeviceRule.Type.of(entry.type() == null ? "a" : entry.type()), orAny(entry.major()),
                    orAny(entry.minor()), access)));
        }
        DeviceRule.containerDefaults().stream().filter(DeviceRule::allow)
                .forEach(rule -> resources = resources.withDevice(rule));
    }

    /**
     * {@return the access a rule gives: r, w and m, each once, in that order} runc keeps those
     * letters of an access and leaves any other out ("rwa" is "rw"); so does jrun, with a note. An
     * access without any of them is returned as it is, for the rule to refuse.
     */
    private String access(String access, String at) {
        if (access == null) {
            return "rwm";
        }
        String kept = DEVICE_ACCESS.chars().filter(letter -> access.indexOf(letter) >= 0)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        String others = access.chars().filter(letter -> DEVICE_ACCESS.indexOf(letter) < 0).distinct()
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        if (kept.isEmpty()) {
            return access;
        }
        if (!others.isEmpty()) {
            problems.ignore(at, "\"" + others + "\" of \"" + access + "\" is no device access (r, w, m), as runc"
                    + " takes it", true);
        }
        return kept;
    }

    private void memory(Spec.Memory memory) {
        if (memory == null) {
            return;
        }
        String at = PATH + ".memory";
        set(memory.limit(), at + ".limit", Resources::withMemoryLimit);
        set(memory.reservation(), at + ".reservation", Resources::withMemoryReservation);
        set(memory.swap(), at + ".swap", Resources::withMemorySwap);
        // Deprecated by the spec and ignored by runc (current kernels have no such limits), with a warning.
        if (memory.kernel() != null) {
            problems.ignore(at + ".kernel", "kernel memory limits are deprecated", true);
        }
        if (memory.kernelTCP() != null) {
            problems.ignore(at + ".kernelTCP", "kernel TCP buffer limits are deprecated", true);
        }
        // -1 as an unsigned number is how Go engines say "the kernel's default", as runc reads it.
        if (memory.swappiness() != null && !memory.swappiness().equals(UNSET_SWAPPINESS)) {
            setSmall(memory.swappiness(), at + ".swappiness", Resources::withMemorySwappiness);
        }
        if (Boolean.TRUE.equals(memory.disableOOMKiller())) {
            resources = resources.withOomKillerDisabled();
        }
        if (Boolean.FALSE.equals(memory.useHierarchy())) {
            problems.add(at + ".useHierarchy", "hierarchical accounting cannot be turned off on current kernels");
        }
        // checkBeforeUpdate is about updating a running container's limits, which jrun does not do.
    }

    private void cpu(Spec.Cpu cpu) {
        if (cpu == null) {
            return;
        }
        String at = PATH + ".cpu";
        setSmall(cpu.shares(), at + ".shares", Resources::withCpuShares);
        setSmall(cpu.period(), at + ".period", Resources::withCpuPeriod);
        set(cpu.quota(), at + ".quota", Resources::withCpuQuota);
        if (cpu.quota() != null && cpu.period() == null) {
            // The kernel's own default period, as runc leaves it.
            resources = resources.withCpuPeriod(Resources.DEFAULT_CPU_PERIOD_MICROS);
        }
        if (cpu.cpus() != null && !cpu.cpus().isEmpty()) {
            set(cpu.cpus(), at + ".cpus", Resources::withCpusetCpus);
        }
        if (cpu.mems() != null && !cpu.mems().isEmpty()) {
            set(cpu.mems(), at + ".mems", Resources::withCpusetMems);
        }
        set(cpu.realtimeRuntime(), at + ".realtimeRuntime", Resources::withCpuRealtimeRuntime);
        setSmall(cpu.realtimePeriod(), at + ".realtimePeriod", Resources::withCpuRealtimePeriod);
        refuse(cpu.burst(), at + ".burst", "CPU burst is not supported");
        refuse(cpu.idle(), at + ".idle", "SCHED_IDLE cgroups are not supported");
    }

    private void blockIo(Spec.BlockIO blockIo) {
        if (blockIo == null) {
            return;
        }
        String at = PATH + ".blockIO";
        set(blockIo.weight(), at + ".weight", Resources::withBlockIoWeight);
        set(blockIo.leafWeight(), at + ".leafWeight", Resources::withBlockIoLeafWeight);
        List<Spec.WeightDevice> devices = blockIo.weightDevice() == null ? List.of() : blockIo.weightDevice();
        for (int i = 0; i < devices.size(); i++) {
            Spec.WeightDevice device = devices.get(i);
            String entry = at + ".weightDevice[" + i + "]";
            if (device.major() == null || device.minor() == null) {
                problems.add(entry, "needs a major and a minor number");
                continue;
            }
            set(device, entry, (r, d) -> r.withBlockIoDeviceWeight(new BlockIoDeviceWeight(d.major(), d.minor(),
                    optional(d.weight()), optional(d.leafWeight()))));
        }
        String throttles = "block I/O throttles are not supported";
        refuse(blockIo.throttleReadBpsDevice(), at + ".throttleReadBpsDevice", throttles);
        refuse(blockIo.throttleWriteBpsDevice(), at + ".throttleWriteBpsDevice", throttles);
        refuse(blockIo.throttleReadIOPSDevice(), at + ".throttleReadIOPSDevice", throttles);
        refuse(blockIo.throttleWriteIOPSDevice(), at + ".throttleWriteIOPSDevice", throttles);
    }

    private void hugepages(List<Spec.HugepageLimit> limits) {
        List<Spec.HugepageLimit> entries = limits == null ? List.of() : limits;
        for (int i = 0; i < entries.size(); i++) {
            Spec.HugepageLimit entry = entries.get(i);
            String at = PATH + ".hugepageLimits[" + i + "]";
            if (entry.pageSize() == null || entry.limit() == null) {
                problems.add(at, "needs a pageSize and a limit");
                continue;
            }
            setSmall(entry.limit(), at + ".limit", (r, bytes) -> r.withHugepageLimit(entry.pageSize(), bytes));
        }
    }

    private static OptionalInt optional(Integer value) {
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }

    /** Applies {@code with} to a value present in the configuration; what it refuses is a problem at {@code path}. */
    private <T> void set(T value, String path, BiFunction<Resources, T, Resources> with) {
        if (value != null) {
            Resources current = resources;
            resources = problems.at(path, () -> with.apply(current, value), current);
        }
    }

    private void setSmall(BigInteger value, String path, BiFunction<Resources, Long, Resources> with) {
        if (value != null) {
            OptionalLong number = Unsigned.small(value, path, problems);
            number.ifPresent(n -> set(n, path, with));
        }
    }

    private void refuse(Object value, String path, String why) {
        if (value != null && !(value instanceof Map<?, ?> map && map.isEmpty())
                && !(value instanceof List<?> list && list.isEmpty())) {
            problems.add(path, why);
        }
    }

    private static long orAny(Long number) {
        return number == null ? DeviceRule.ANY : number;
    }
}
