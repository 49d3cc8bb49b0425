package io.pbftledger.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that starts real processes: replica JVMs (a {@code LocalCluster}, {@code bench --cluster}) or
 * other child JVMs it crashes or probes. Tagged {@code process}, it runs in the failsafe tier of
 * {@code ./mvnw verify}, not in {@code ./mvnw test}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("process")
public @interface ProcessTest {
}
