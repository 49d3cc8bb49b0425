package io.pbftledger.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java client library example in README.md compiles against the library as it is. */
class ReadmeClientExampleTest {
    @TempDir
    Path dir;

    private static String example() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## Java client library");
        assertThat(section).as("README.md has a 'Java client library' section").isNotNegative();
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find(section)).as("the section has a java code block").isTrue();
        return block.group(1);
    }

    @Test
    void theReadmesClientExampleCompiles() throws Exception {
        String source = example();
        Matcher name = Pattern.compile("public class (\\w+)").matcher(source);
        assertThat(name.find()).as("the example is a public class").isTrue();
        Path file = dir.resolve(name.group(1) + ".java");
        Files.writeString(file, source);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();

        boolean compiled = compiler.getTask(diagnostics, null, null,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", dir.toString(), "-Xlint:none"),
                null, compiler.getStandardFileManager(null, null, null).getJavaFileObjects(file)).call();

        assertThat(compiled).as("compiler output: %s", diagnostics).isTrue();
        assertThat(dir.resolve(name.group(1) + ".class")).exists();
        assertThat(source).contains("LedgerClient", "submit(", "getState(");
    }
}
