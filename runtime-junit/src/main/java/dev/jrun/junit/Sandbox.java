package dev.jrun.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@link SandboxContainer} field the {@link SandboxExtension} starts and stops. A static field's
 * container runs once for the whole class (started before the first test, stopped after the
 * last); an instance field's runs for each test, or once for the class when the class has
 * {@code @TestInstance(PER_CLASS)}, so that tests running in parallel never share one unless it
 * is static.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Sandbox {
}
