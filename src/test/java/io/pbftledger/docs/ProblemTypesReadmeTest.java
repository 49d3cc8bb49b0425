package io.pbftledger.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.web.ProblemType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README.md's table of problem types, under "Errors", is the catalogue the code answers from: the
 * same kinds in the same order, each with its URI, status and one-line meaning, so neither can
 * change without the other.
 */
class ProblemTypesReadmeTest {
    private static final String HEADER = "| type | status | when |";
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| (\\d{3}) \\| (.+) \\|$");

    /** One row: type URI, status, when. */
    private record Row(String uri, int status, String when) {
    }

    /** The section "Errors" of README.md, up to the next heading. */
    private static String errorsSection() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n### Errors\n");
        assertThat(start).as("README.md has a section \"Errors\"").isNotNegative();
        int end = readme.indexOf("\n#", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static List<Row> readmeTable() throws IOException {
        String section = errorsSection();
        int header = section.indexOf("\n" + HEADER + "\n");
        assertThat(header).as("the Errors section has a table headed %s", HEADER).isNotNegative();
        List<String> lines = section.substring(header + 1).lines().skip(2).takeWhile(l -> l.startsWith("|")).toList();
        List<Row> rows = new ArrayList<>();
        for (String line : lines) {
            Matcher m = ROW.matcher(line);
            assertThat(m.matches()).as("a row `uri` | status | when: %s", line).isTrue();
            rows.add(new Row(m.group(1), Integer.parseInt(m.group(2)), m.group(3)));
        }
        return rows;
    }

    @Test
    void theReadmeTableIsTheCatalogue() throws IOException {
        List<Row> catalogue = Arrays.stream(ProblemType.values())
                .map(type -> new Row(type.uri(), type.status(), type.meaning())).toList();

        assertThat(readmeTable()).containsExactlyElementsOf(catalogue);
    }

    @Test
    void theReadmeNamesTheTypeOfAStatusWithoutAKind() throws IOException {
        assertThat(errorsSection()).contains("`" + ProblemType.UNTYPED + "`");
    }
}
