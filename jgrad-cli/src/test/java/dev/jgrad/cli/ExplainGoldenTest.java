package dev.jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.io.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed's explanation as Markdown and JSON equals the golden files under
 * {@code src/test/resources/golden/explain/} (reviewed by eye once, then fixed). Markdown is
 * compared as text except the printed "difference" of each check (a last-ulp matter of the
 * platform's exp and log); JSON structurally, numbers to 1e-12 relative. After an intended change,
 * regenerate with {@code mvn test -pl jgrad-core,jgrad-cli -Dtest=ExplainGoldenTest -Djgrad.updateGolden=true}
 * and review the diff.
 */
class ExplainGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/golden/explain");
    private static final boolean UPDATE = Boolean.getBoolean("jgrad.updateGolden");

    private static String explain(String... args) {
        StringWriter o = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "explain";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = Main.run(new PrintWriter(o), new PrintWriter(new StringWriter()), all);
        assertThat(code).isZero();
        return o.toString();
    }

    private static String golden(String name, String actual) throws IOException {
        Path p = DIR.resolve(name);
        if (UPDATE) {
            Files.createDirectories(DIR);
            Files.writeString(p, actual, StandardCharsets.UTF_8);
        }
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static String withoutDifferences(String s) {
        return s.replaceAll("difference (\\d\\.\\de[-+]\\d\\d|0)", "difference …")
                .replaceAll("([✓✗]) (\\d\\.\\de[-+]\\d\\d|0) \\|", "$1 … |");
    }

    @Test
    void seedMarkdown() throws IOException {
        String md = explain("--format", "markdown");
        assertThat(withoutDifferences(md)).isEqualTo(withoutDifferences(golden("seed.md", md)));
    }

    @Test
    void seedJson() throws IOException {
        String json = explain("--format", "json");
        Object actual = Json.parse(json);
        Object expected = Json.parse(golden("seed.json", json));
        assertSame("$", expected, actual);
        assertThat(((Map<?, ?>) actual).get("allChecksPass")).isEqualTo(true);
    }

    @Test
    void sampleTwoMarkdown() throws IOException {
        String md = explain("--format", "markdown", "--sample", "2", "--optimizer", "none");
        assertThat(withoutDifferences(md)).isEqualTo(withoutDifferences(golden("seed-sample2.md", md)));
    }

    private static void assertSame(String path, Object e, Object a) {
        if (e instanceof Map) {
            assertThat(a).as(path).isInstanceOf(Map.class);
            Map<?, ?> em = (Map<?, ?>) e;
            Map<?, ?> am = (Map<?, ?>) a;
            assertThat(new java.util.ArrayList<Object>(am.keySet())).as(path + " keys")
                    .containsExactlyElementsOf(new java.util.ArrayList<Object>(em.keySet()));
            for (Object k : em.keySet()) {
                assertSame(path + "." + k, em.get(k), am.get(k));
            }
        } else if (e instanceof List) {
            assertThat(a).as(path).isInstanceOf(List.class);
            List<?> el = (List<?>) e;
            List<?> al = (List<?>) a;
            assertThat(al).as(path + " length").hasSameSizeAs(el);
            for (int i = 0; i < el.size(); i++) {
                assertSame(path + "[" + i + "]", el.get(i), al.get(i));
            }
        } else if (e instanceof Number && !path.endsWith(".maxDiff")) {
            assertThat(a).as(path).isInstanceOf(Number.class);
            double x = ((Number) e).doubleValue();
            double y = ((Number) a).doubleValue();
            assertThat(Math.abs(x - y)).as(path + ": " + y + " vs golden " + x).isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(x)));
        } else if (e instanceof Number) {
            assertThat(((Number) a).doubleValue()).as(path).isLessThan(1e-5);
        } else {
            assertThat(a).as(path).isEqualTo(e);
        }
    }
}
