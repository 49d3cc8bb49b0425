package io.pbftledger.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test of the deployment files: the Helm chart (linted and rendered by helm-java) or the docker-compose
 * setup (validated by docker-compose, its scripts run by sh). Tagged {@code deployment}, it runs in the
 * failsafe tier of {@code ./mvnw verify}, not in {@code ./mvnw test}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("deployment")
public @interface DeploymentTest {
}
