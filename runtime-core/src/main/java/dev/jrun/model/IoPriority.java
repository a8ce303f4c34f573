package dev.jrun.model;

import dev.jrun.bindings.Libc;

import java.util.Objects;

/**
 * The I/O scheduling class and priority of a container's command (OCI {@code process.ioPriority}),
 * set with {@code ioprio_set(2)} before {@code execve}, as {@code ionice} does.
 *
 * @param ioClass  the scheduling class
 * @param priority the level within the class, 0 (highest) to 7
 */
public record IoPriority(IoClass ioClass, int priority) {

    /** The highest level of a class. */
    public static final int HIGHEST = 0;
    /** The lowest level of a class. */
    public static final int LOWEST = 7;

    /** An I/O scheduling class; the numbers come from the generated {@code <linux/ioprio.h>} bindings. */
    public enum IoClass {
        /** Real time: served first; setting it needs CAP_SYS_ADMIN or CAP_SYS_NICE. */
        RT(Libc.IOPRIO_CLASS_RT()),
        /** Best effort, the default class. */
        BE(Libc.IOPRIO_CLASS_BE()),
        /** Idle: served only when no other process needs the disk. */
        IDLE(Libc.IOPRIO_CLASS_IDLE());

        private final int number;

        IoClass(int number) {
            this.number = number;
        }

        /** {@return the {@code IOPRIO_CLASS_*} value} */
        public int number() {
            return number;
        }
    }

    /**
     * Checks the level.
     *
     * @throws IllegalArgumentException if the priority is not between 0 and 7
     */
    public IoPriority {
        Objects.requireNonNull(ioClass, "ioClass");
        if (priority < HIGHEST || priority > LOWEST) {
            throw new IllegalArgumentException("I/O priority " + priority + " is not between " + HIGHEST
                    + " and " + LOWEST);
        }
    }

    /** {@return the value {@code ioprio_set} takes: the class in the high bits, the level in the low ones} */
    public int value() {
        return ioClass.number << Libc.IOPRIO_CLASS_SHIFT() | priority;
    }
}
