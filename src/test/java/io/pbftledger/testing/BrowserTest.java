package io.pbftledger.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that drives headless Chromium through chromedriver ({@code io.pbftledger.browser.HeadlessChrome}).
 * Tagged {@code browser}, it runs in the failsafe tier of {@code ./mvnw verify}, not in {@code ./mvnw test}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("browser")
public @interface BrowserTest {
}
