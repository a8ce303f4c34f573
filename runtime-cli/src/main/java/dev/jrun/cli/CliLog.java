package dev.jrun.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Where {@code jrun} reports: errors always reach stderr as {@code jrun: message};
 * with {@code --log FILE} they, and with {@code --debug} debug messages too, are
 * also logged, as text or as runc's JSON lines ({@code level}, {@code msg},
 * {@code time}). Log4j is configured only when something is logged, so
 * commands that log nothing do not pay for it.
 */
final class CliLog {

    private final boolean debug;
    private final Path file;
    private final boolean json;
    private final PrintStream stderr;
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

    /** Reports an error to the user and to the log. */
    void error(String message) {
        if (!logsToStderr()) {
            stderr.println("jrun: " + message);
        }
        if (file != null || debug) {
            logger().error(message);
        }
    }

    /** Reports a warning to the user and to the log; the command goes on. */
    void warn(String message) {
        if (!logsToStderr()) {
            stderr.println("jrun: warning: " + message);
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
            LoggerContext context = Configurator.initialize(configuration());
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
                : builder.newLayout("PatternLayout").addAttribute("pattern", "%d{ISO8601} %level{lowerCase=true} %msg%n"));
        builder.add(appender);
        builder.add(builder.newRootLogger(debug ? Level.DEBUG : Level.INFO).add(builder.newAppenderRef("out")));
        return builder.build();
    }
}
