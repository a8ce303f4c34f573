package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.sigaction;
import dev.jrun.internal.asm.Assembler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * Delivers signals sent to this process to Java listeners, by the self-pipe
 * trick: the signal handler writes the signal's number to a pipe and a daemon
 * thread reads it. Java code must not run inside a signal handler, so the
 * handler is eleven bytes of machine code generated here, like the launch stub.
 *
 * <p>Handlers are process-wide and replace the JVM's: use this only in a
 * process started with {@code -Xrs}, which leaves SIGINT, SIGTERM, SIGHUP and
 * SIGQUIT to the application.
 */
public final class SignalPipe {

    private static final NativeFunction SIGACTION =
            NativeFunction.of("sigaction", Libc::sigaction$address, Libc::sigaction$descriptor);
    private static final long PAGE = 4096;

    private static SignalPipe instance;

    /** Not a signal number: written to make a reader thread stop. */
    private static final byte STOP = 0;

    private final int readEnd;
    private final int writeEnd;
    private final MemorySegment handler;
    private final Set<Integer> installed = ConcurrentHashMap.newKeySet();
    private final Set<IntConsumer> listeners = ConcurrentHashMap.newKeySet();
    private boolean reading;

    private SignalPipe() {
        Assembler.requireX86_64("jrun's signal handler");
        Descriptors.Pipe pipe = Descriptors.pipe();
        readEnd = pipe.readEnd();
        writeEnd = pipe.writeEnd();
        // A full pipe must drop a signal, never block the interrupted thread.
        Descriptors.fcntl(writeEnd, Libc.F_SETFL(), Descriptors.fcntl(writeEnd, Libc.F_GETFL(), 0) | Libc.O_NONBLOCK());
        handler = assembleHandler(writeEnd);
    }

    /** {@return the process's signal pipe, created on first use} */
    public static synchronized SignalPipe get() {
        if (instance == null) {
            instance = new SignalPipe();
        }
        return instance;
    }

    /** Routes {@code signals} to the listeners from now on (installing the handler once per signal). */
    public void route(int... signals) {
        for (int signal : signals) {
            if (installed.add(signal)) {
                install(signal);
            }
        }
    }

    /** Calls {@code listener} with the number of every routed signal received, from a daemon thread. */
    public synchronized void addListener(IntConsumer listener) {
        listeners.add(listener);
        if (!reading) {
            reading = true;
            Thread reader = new Thread(this::dispatch, "jrun-signals");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /**
     * Stops calling {@code listener}. With the last listener gone the reader thread ends too: a
     * thread blocked in a native read would hold up the JVM's exit by 300 ms (HotSpot waits for
     * threads in native code to settle).
     */
    public synchronized void removeListener(IntConsumer listener) {
        listeners.remove(listener);
        if (listeners.isEmpty() && reading) {
            reading = false;
            try (Arena arena = Arena.ofConfined()) {
                Descriptors.writeFully(writeEnd, arena.allocateFrom(ValueLayout.JAVA_BYTE, STOP));
            }
        }
    }

    private void install(int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment action = sigaction.allocate(arena);
            sigaction.__sigaction_handler.sa_handler(sigaction.__sigaction_handler(action), handler);
            sigaction.sa_flags(action, Libc.SA_RESTART());
            SIGACTION.call("signal " + signal, signal, action, MemorySegment.NULL);
        }
    }

    private void dispatch() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment signal = arena.allocate(1);
            while (Descriptors.read(readEnd, signal) == 1) {
                byte number = signal.get(ValueLayout.JAVA_BYTE, 0);
                if (number == STOP) {
                    return;
                }
                listeners.forEach(listener -> listener.accept(number));
            }
        }
    }

    /** {@code void handler(int signal)}: {@code write(fd, &signal, 1)}, nothing else. */
    private static MemorySegment assembleHandler(int fd) {
        byte[] code = codeFor(fd);
        MemorySegment page = MemorySegment.ofAddress(RawSyscall.MMAP.call("", 0, PAGE,
                Libc.PROT_READ() | Libc.PROT_WRITE(), Libc.MAP_PRIVATE() | Libc.MAP_ANONYMOUS(), -1, 0L)).reinterpret(PAGE);
        MemorySegment.copy(code, 0, page, ValueLayout.JAVA_BYTE, 0, code.length);
        RawSyscall.MPROTECT.call("", page.address(), PAGE, Libc.PROT_READ() | Libc.PROT_EXEC());
        return page;
    }

    private static byte[] codeFor(int fd) {
        return new Assembler()
                .op("push rdi           ; the signal number, on the stack", 0x57)
                .op("mov rsi, rsp       ; buf: its low byte", 0x48, 0x89, 0xE6)
                .op("mov edi, fd        ; the pipe's write end", 0xBF).imm32(fd)
                .op("mov edx, 1         ; one byte", 0xBA).imm32(1)
                .op("mov eax, SYS_write", 0xB8).imm32(Libc.SYS_write())
                .op("syscall            ; errno is untouched: no libc here", 0x0F, 0x05)
                .op("pop rdi", 0x5F)
                .op("ret", 0xC3)
                .bytes();
    }
}
