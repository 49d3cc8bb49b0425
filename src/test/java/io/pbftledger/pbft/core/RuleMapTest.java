package io.pbftledger.pbft.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The map from the paper's rules to the code (package-info.java) names classes and methods that exist. */
class RuleMapTest {
    private static final Pattern CODE = Pattern.compile("\\{@code ([A-Z]\\w*)(?:\\.(\\w+))?}");

    @Test
    void everyClassAndMethodTheRuleMapNamesExists() throws IOException {
        String map = Files.readString(Path.of("src/main/java/io/pbftledger/pbft/core/package-info.java"));
        Matcher m = CODE.matcher(map);
        List<String> missing = new ArrayList<>();
        int named = 0;
        while (m.find()) {
            named++;
            Class<?> type = load(m.group(1));
            if (type == null) {
                missing.add(m.group(1));
            } else if (m.group(2) != null && Arrays.stream(type.getDeclaredMethods()).map(Method::getName)
                    .noneMatch(m.group(2)::equals)) {
                missing.add(m.group(1) + "." + m.group(2));
            }
        }
        assertThat(named).as("entries in the rule map").isGreaterThan(30);
        assertThat(missing).as("names in the rule map that the code does not have").isEmpty();
    }

    private static Class<?> load(String simpleName) {
        for (String pkg : List.of("io.pbftledger.pbft.core.", "io.pbftledger.pbft.message.")) {
            try {
                return Class.forName(pkg + simpleName);
            } catch (ClassNotFoundException e) {
                // try the next package
            }
        }
        return null;
    }
}
