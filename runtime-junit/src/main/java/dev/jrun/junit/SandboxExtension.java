package dev.jrun.junit;

import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts the {@link Sandbox @Sandbox} fields' containers and stops them: a static field's around
 * the whole class, an instance field's around each test (around the class with
 * {@code @TestInstance(PER_CLASS)}). When a test fails, the output of every container it could see
 * is attached to the failure as a suppressed exception, so the report shows it. Keeps no state of
 * its own, so it is safe under JUnit's parallel execution: each test's containers are its own.
 */
public final class SandboxExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, TestExecutionExceptionHandler {

    /** Created by JUnit, through {@link Sandboxes} or {@code @ExtendWith}. */
    public SandboxExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startAll(classWide(context));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeAll(classWide(context));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        startAll(perTest(context));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeAll(perTest(context));
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        List<SandboxContainer> visible = new ArrayList<>(classWide(context));
        visible.addAll(perTest(context));
        for (SandboxContainer sandbox : visible) {
            if (sandbox.isStarted()) {
                failure.addSuppressed(new SandboxOutput(sandbox.outputReport()));
            }
        }
        throw failure;
    }

    /** {@return the containers that live as long as the class: static fields, and instance fields of a per-class instance} */
    private static List<SandboxContainer> classWide(ExtensionContext context) {
        Optional<Object> instance = perClassInstance(context);
        return sandboxes(context.getRequiredTestClass(), true, instance.orElse(null));
    }

    /** {@return the containers that live as long as one test: instance fields, when each test has its own instance} */
    private static List<SandboxContainer> perTest(ExtensionContext context) {
        if (perClassInstance(context).isPresent() || context.getTestInstance().isEmpty()) {
            return List.of();
        }
        Object instance = context.getRequiredTestInstance();
        return sandboxes(instance.getClass(), false, instance);
    }

    private static Optional<Object> perClassInstance(ExtensionContext context) {
        return context.getTestInstanceLifecycle().filter(lifecycle -> lifecycle == TestInstance.Lifecycle.PER_CLASS)
                .flatMap(lifecycle -> context.getTestInstance());
    }

    /**
     * {@return the containers of the {@code @Sandbox} fields of {@code type} and its superclasses,
     * superclass first: the static ones when asked, and the instance ones of {@code instance} unless it is null}
     */
    private static List<SandboxContainer> sandboxes(Class<?> type, boolean statics, Object instance) {
        List<SandboxContainer> found = new ArrayList<>();
        if (type.getSuperclass() != null) {
            found.addAll(sandboxes(type.getSuperclass(), statics, instance));
        }
        for (Field field : type.getDeclaredFields()) {
            if (!field.isAnnotationPresent(Sandbox.class)) {
                continue;
            }
            boolean isStatic = Modifier.isStatic(field.getModifiers());
            if (isStatic ? statics : instance != null) {
                found.add(value(field, isStatic ? null : instance));
            }
        }
        return found;
    }

    private static SandboxContainer value(Field field, Object instance) {
        String name = field.getDeclaringClass().getName() + "." + field.getName();
        if (!SandboxContainer.class.isAssignableFrom(field.getType())) {
            throw new ExtensionConfigurationException("@Sandbox field " + name + " is a " + field.getType().getName()
                    + ", not a " + SandboxContainer.class.getName());
        }
        try {
            field.setAccessible(true);
            Object value = field.get(instance);
            if (value == null) {
                throw new ExtensionConfigurationException("@Sandbox field " + name + " is null");
            }
            return (SandboxContainer) value;
        } catch (IllegalAccessException | RuntimeException e) {
            if (e instanceof ExtensionConfigurationException configuration) {
                throw configuration;
            }
            throw new ExtensionConfigurationException("cannot read @Sandbox field " + name + ": " + e.getMessage(), e);
        }
    }

    /** Starts each container in order; when one fails, stops those already started before failing. */
    private static void startAll(List<SandboxContainer> sandboxes) {
        List<SandboxContainer> started = new ArrayList<>();
        try {
            for (SandboxContainer sandbox : sandboxes) {
                sandbox.start();
                started.add(sandbox);
            }
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    /** Stops each container, the last started first; every one is stopped even when one fails. */
    private static void closeAll(List<SandboxContainer> sandboxes) {
        RuntimeException first = null;
        for (SandboxContainer sandbox : sandboxes.reversed()) {
            try {
                sandbox.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** A container's output, attached to a failed test: a report, not an error, so it has no stack trace. */
    private static final class SandboxOutput extends Exception {

        private static final long serialVersionUID = 1L;

        SandboxOutput(String report) {
            super("container output\n" + report, null, false, false);
        }
    }
}
