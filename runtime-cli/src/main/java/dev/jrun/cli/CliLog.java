package dev.jrun.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * Where {@code jrun} reports: errors always reach stderr as {@code jrun: message};
 * with {@code --log FILE} they, and with {@code --debug} debug messages too, are
 * also logged, as runc's logrus lines: text ({@code time="..." level=debug msg="..."})
 * or JSON ({@code level}, {@code msg}, {@code time}). Log4j is configured only when
 * something is logged (an error, a notice, or anything with {@code --debug}), so other
 * commands do not pay for it.
 */
final class CliLog {

    /** logrus's text formatter: the time in RFC 3339, the message quoted with its quotes escaped. */
    private static final String LOGRUS_TEXT =
            "time=\"%d{yyyy-MM-dd'T'HH:mm:ssXXX}{UTC}\" level=%level{lowerCase=true} msg=\"%enc{%msg}{JSON}\"%n";

    private final boolean debug;
    private final Path file;
    private final boolean json;
    private final PrintStream stderr;
    private LoggerContext context;
    private Logger logger;

    private CliLog(boolean debug, Path file, boolean json, PrintStream stderr) {
        this.debug = debug;
        this.file = file;
        this.json = json;
        this.stderr = stderr;
    }

    static CliLog configure(boolean debug, Path file, boolean json) {
        return new CliLog(debug, file, json, System.err);
    }

    /**
     * Marks the start of a command: with {@code --log} the file is opened for appending (created
     * if missing) at once, as runc's is, even when nothing else is logged; with {@code --debug} the
     * command line is logged. Only {@code --debug} configures Log4j here: engines pass
     * {@code --log} to every command, and most log nothing.
     *
     * @return false, said on stderr, when the log file cannot be opened: runc fails then too
     */
    boolean commandStarted(List<String> args) {
        if (file != null) {
            try (FileChannel opened = FileChannel.open(file, CREATE, WRITE, APPEND)) {
                // The file exists from here on; Log4j appends to it if anything is logged.
            } catch (IOException e) {
                stderr.println("jrun: open log file " + file + ": " + reason(e));
                return false;
            }
        }
        if (debug) {
            logger().debug("command line: jrun {}", String.join(" ", args));
        }
        return true;
    }

    /** A file system's failure says what went wrong in its reason, or else by its type (NoSuchFileException). */
    private static String reason(IOException e) {
        return e instanceof FileSystemException failed && failed.getReason() != null
                ? failed.getReason() : e.getClass().getSimpleName();
    }

    /** Logs, with {@code --debug}, the exit status a command ends with. */
    void commandEnded(int exitStatus) {
        debug(() -> "exit status " + exitStatus);
    }

    /** Closes the log file, if anything was logged: the resident helper runs many commands. */
    void close() {
        if (context != null) {
            context.stop();
        }
    }

    /** Reports an error to the user and to the log. */
    void error(String message) {
        if (!logsToStderr()) {
            stderr.println("jrun: " + message);
        }
        if (file != null || debug) {
            logger().error(message);
        }
    }

    /** Tells the user something they may not expect, that is not an error: {@code jrun: notice: message}. */
    void notice(String message) {
        if (!logsToStderr()) {
            stderr.println("jrun: notice: " + message);
        }
        if (file != null || debug) {
            logger().warn(message);
        }
    }

    /** Logs a debug message when {@code --debug} is given. */
    void debug(Supplier<String> message) {
        if (debug) {
            logger().debug(message.get());
        }
    }

    private boolean logsToStderr() {
        return debug && file == null;
    }

    private synchronized Logger logger() {
        if (logger == null) {
            // A context of this command's own, not Log4j's global one: the resident helper runs
            // many commands, each with its own --log and --debug.
            context = new LoggerContext("jrun");
            context.start(configuration());
            logger = context.getLogger("jrun");
        }
        return logger;
    }

    private BuiltConfiguration configuration() {
        ConfigurationBuilder<BuiltConfiguration> builder = ConfigurationBuilderFactory.newConfigurationBuilder();
        builder.setConfigurationName("jrun").setStatusLevel(Level.ERROR);
        AppenderComponentBuilder appender = file == null
                ? builder.newAppender("out", "Console").addAttribute("target", ConsoleAppender.Target.SYSTEM_ERR)
                : builder.newAppender("out", "File").addAttribute("fileName", file.toString());
        appender.add(json
                ? builder.newLayout("JsonTemplateLayout").addAttribute("eventTemplateUri", "classpath:jrun-log-json.json")
                : builder.newLayout("PatternLayout").addAttribute("pattern", LOGRUS_TEXT));
        builder.add(appender);
        builder.add(builder.newRootLogger(debug ? Level.DEBUG : Level.INFO).add(builder.newAppenderRef("out")));
        return builder.build();
    }
}
