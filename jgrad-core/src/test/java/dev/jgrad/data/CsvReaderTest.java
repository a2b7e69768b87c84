package dev.jgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.testing.Golden;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CsvReader against files written by Python's csv module ({@code golden/csv/generate.py}: the
 * records csv.reader reads back and the tensors they make), and every malformed input with its
 * whole message.
 */
class CsvReaderTest {
    @TempDir
    Path tmp;

    static Path golden(String name) {
        try {
            return Path.of(CsvReaderTest.class.getResource("/golden/csv/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static void assertRecords(List<CsvReader.Record> got, JsonNode want, String what) {
        assertThat(got).as(what).hasSize(want.size());
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i).line()).as("%s: line of record %d", what, i).isEqualTo(want.get(i).get("line").asInt());
            assertThat(got.get(i).cells()).as("%s: record %d", what, i).containsExactlyElementsOf(strings(want.get(i).get("cells")));
        }
    }

    @Test
    void goldenFilesReadAsPythonReadsThem() throws IOException {
        JsonNode cases = Golden.load("/golden/csv/cases.json");
        assertThat(cases.size()).isEqualTo(6);
        for (JsonNode c : cases) {
            String file = c.get("file").asText();
            CsvReader r = CsvReader.of(golden(file));
            if (c.get("target_names").isNull()) {
                r.targets(c.get("target_count").asInt());
            } else {
                r.targets(strings(c.get("target_names")).toArray(new String[0]));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = c.get("categorical").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNull()) {
                    r.categorical(e.getKey());
                } else {
                    r.categorical(e.getKey(), strings(e.getValue()));
                }
            }
            if (c.get("classes").asBoolean()) {
                r.classes();
            }
            CsvReader.Table t = r.read();
            List<String> header = strings(c.get("header"));
            assertThat(t.header()).as(file).containsExactlyElementsOf(header);
            assertThat(t.featureNames()).as(file).containsExactlyElementsOf(strings(c.get("feature_names")));
            assertThat(t.targetNames()).as(file).containsExactlyElementsOf(strings(c.get("target_names_read")));
            int n = c.get("records").size() - 1;
            int nf = t.featureNames().size();
            int nt = t.targetNames().size();
            assertThat(t.rows()).as(file).isEqualTo(n);
            assertThat(t.features().dtype()).isEqualTo(DType.FLOAT32);
            assertThat(t.features().shape()).as(file).containsExactly(n, nf);
            assertThat(t.features().toDoubleArray()).as(file).containsExactly(ReadersTest.values(c.get("features")));
            if (c.get("classes").asBoolean()) {
                assertThat(t.targets().dtype()).isEqualTo(DType.INT64);
                assertThat(t.targets().shape()).as(file).containsExactly(n);
                long[] want = new long[n];
                for (int i = 0; i < n; i++) {
                    want[i] = c.get("targets").get(i).asLong();
                }
                assertThat(t.targets().toLongArray()).as(file).containsExactly(want);
            } else {
                assertThat(t.targets().dtype()).isEqualTo(DType.FLOAT32);
                assertThat(t.targets().shape()).as(file).containsExactly(n, nt);
                assertThat(t.targets().toDoubleArray()).as(file).containsExactly(ReadersTest.values(c.get("targets")));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = c.get("categories").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                assertThat(t.categories(e.getKey())).as(file).containsExactlyElementsOf(strings(e.getValue()));
            }
            TensorDataset ds = t.dataset();
            assertThat(ds.tensors()).containsExactly(t.features(), t.targets());
            String text = Files.readString(golden(file), StandardCharsets.UTF_8);
            assertRecords(CsvReader.records(text.startsWith("\uFEFF") ? text.substring(1) : text, file), c.get("records"), file);
        }
    }

    @Test
    void recordsAsPythonsCsvReader() throws IOException {
        JsonNode cases = Golden.load("/golden/csv/records.json");
        assertThat(cases.size()).isEqualTo(10);
        for (JsonNode c : cases) {
            String text = c.get("text").asText();
            assertRecords(CsvReader.records(text, "t.csv"), c.get("records"), text);
        }
    }

    @Test
    void withoutTargetsEveryColumnIsAFeature() throws IOException {
        CsvReader.Table t = CsvReader.of(write("f.csv", "a,b\n1,2\n3,4\n")).read();
        assertThat(t.targets()).isNull();
        assertThat(t.features().shape()).containsExactly(2, 2);
        assertThat(t.features().toDoubleArray()).containsExactly(1, 2, 3, 4);
        assertThat(t.dataset().tensors()).containsExactly(t.features());
        TensorDataset ds = CsvReader.of(write("g.csv", "a,b,y\n1,2,1\n3,4,0\n")).targets(1).classes(2).dataset();
        assertThat(ds.tensor(1).toLongArray()).containsExactly(1, 0);
        assertThat(ds.tensor(0).toDoubleArray()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void sortedCategoriesAsFloatFeaturesAndTargets() throws IOException {
        CsvReader.Table t = CsvReader.of(write("c.csv", "c,x,t\nb,1,z\na,2,y\nb,3,z\n")).targets(1).categorical("c", "t").read();
        assertThat(t.categories("c")).containsExactly("a", "b");
        assertThat(t.categories("t")).containsExactly("y", "z");
        assertThat(t.features().toDoubleArray()).containsExactly(1, 1, 0, 2, 1, 3);
        assertThat(t.targets().toDoubleArray()).containsExactly(1, 0, 1);
        assertThatThrownBy(() -> t.categories("x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column x is not categorical (categorical: [c, t])");
    }

    @Test
    void largerFileGrowsItsArrays() throws IOException {
        StringBuilder b = new StringBuilder("a,b,c,y\n");
        for (int i = 0; i < 1000; i++) {
            b.append(i).append(',').append(-i).append(',').append(i * 0.5).append(',').append(i % 7).append('\n');
        }
        CsvReader.Table t = CsvReader.of(write("big.csv", b.toString())).targets(1).classes(7).read();
        assertThat(t.features().shape()).containsExactly(1000, 3);
        double[] x = t.features().toDoubleArray();
        long[] y = t.targets().toLongArray();
        assertThat(y).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(new double[] {x[3 * i], x[3 * i + 1], x[3 * i + 2], y[i]}).containsExactly(i, -i, (float) (i * 0.5), i % 7);
        }
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    /** Reading {@code text} with {@code reader}'s options fails with exactly {@code message} after the file name. */
    private AbstractThrowableAssert<?, ? extends Throwable> fails(String text, java.util.function.UnaryOperator<CsvReader> options,
            String message) throws IOException {
        Path p = write("data.csv", text);
        return assertThatThrownBy(() -> options.apply(CsvReader.of(p)).read()).isInstanceOf(DataFormatException.class)
                .hasMessage(p + ": " + message);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> fails(String text, String message) throws IOException {
        return fails(text, r -> r.targets(1), message);
    }

    @Test
    void raggedRows() throws IOException {
        fails("x1,x2,y\n0.5,1.0,1\n\n-1.0,0.25\n", "line 4: 2 columns but the header has 3");
        fails("x1,x2,y\r\n0.5,1.0,1,7\r\n", "line 2: 4 columns but the header has 3");
        fails("x1,x2,y\n\"1\n\",1,2\n1\n", "line 4: 1 column but the header has 3");
    }

    @Test
    void cellsThatAreNotNumbers() throws IOException {
        fails("x1,x2,y\n0.5,1.0,1\n-1.0,abc,0\n", "line 3, column 2 (x2): not a number: \"abc\"");
        fails("x1,x2,y\n0.5,nan,1\n", "line 2, column 2 (x2): not a number: \"nan\"");
        fails("x1,x2,y\n0.5,,1\n", "line 2, column 2 (x2): not a number: \"\"");
        fails("x1,x2,y\n0.5,1,0x10\n", "line 2, column 3 (y): not a number: \"0x10\"");
        fails("x1,x2,y\n0.5,1e39,1\n", "line 2, column 2 (x2): 1e39 is out of the float32 range");
        fails("x1,x2,y\n0.5,2,1e309\n", r -> r.targets(1).classes(), "line 2, column 3 (y): 1e309 is out of the float32 range");
        // the line is the one the record starts on, also after a quoted line break
        fails("\"x\n1\",x2,y\n\"1\",\"2\n\",\"?\"\n", "line 3, column 3 (y): not a number: \"?\"");
        // a cell of a nameless column
        fails("a,,y\n1,?,2\n", "line 2, column 2: not a number: \"?\"");
    }

    @Test
    void emptyFileMissingHeaderOrNoRows() throws IOException {
        fails("", "empty file (expected a header row and data rows)");
        fails("\r\n\n", "empty file (expected a header row and data rows)");
        fails("0.5,1.0,1\n-1,2,0\n", "line 1: no header row: every cell of the first row is a number (0.5,1.0,1); "
                + "the first row must name the columns");
        fails("x1,x2,y\n", "no data rows after the header");
        fails("x1,x2,y\n\n", "no data rows after the header");
        fails("y\n1\n", "line 1: the header has 1 column, so 1 target column leave no feature columns");
        fails("a,y\n1,2\n", r -> r.targets("y", "a"), "line 1: every column of the header is a target, so there are no feature columns");
    }

    @Test
    void invalidCsvSyntax() throws IOException {
        fails("x1,x2,y\n0.5,\"1.0,1\n", "invalid CSV: line 2, column 2 (x2): the quoted field that starts here has no closing quote");
        fails("x1,\"x2\n", "invalid CSV: line 1, column 2: the quoted field that starts here has no closing quote");
        fails("x1,x2,y\n1,\"2\"3,4\n", "invalid CSV: line 2, column 2 (x2): '3' after the closing quote of a quoted field "
                + "(expected a comma or the end of the line)");
        fails("x1,x2,y\n1,\"2\n\" ,4\n", "invalid CSV: line 3, column 2 (x2): ' ' after the closing quote of a quoted field "
                + "(expected a comma or the end of the line)");
        Path bad = tmp.resolve("latin1.csv");
        Files.write(bad, new byte[] {'a', ',', 'y', '\n', (byte) 0xe9, ',', '1', '\n'});
        assertThatThrownBy(() -> CsvReader.of(bad).read()).isInstanceOf(DataFormatException.class).hasMessage(bad + ": not valid UTF-8 text");
        assertThatThrownBy(() -> CsvReader.of(tmp.resolve("none.csv")).read()).isInstanceOf(NoSuchFileException.class)
                .hasMessage(tmp.resolve("none.csv") + ": no such file");
    }

    @Test
    void classIndicesThatAreNotIntegersOrOutOfRange() throws IOException {
        fails("x1,x2,label\n0.5,1.0,1.5\n", r -> r.targets(1).classes(3), "line 2, column 3 (label): not an integer class index: \"1.5\"");
        fails("x1,x2,label\n0.5,1.0,2\n-1.0,0.25,3\n", r -> r.targets(1).classes(3),
                "line 3, column 3 (label): class index 3 is out of range: there are 3 classes, so classes are 0..2");
        fails("x1,x2,label\n0.5,1.0,3\n", r -> r.targets(1).classes(3, "the model has 3 outputs"),
                "line 2, column 3 (label): class index 3 is out of range: the model has 3 outputs, so classes are 0..2");
        fails("x1,x2,label\n0.5,1.0,-1\n", r -> r.targets(1).classes(),
                "line 2, column 3 (label): class index -1 is out of range: class indices are not negative");
        fails("x1,x2,label\n0.5,1.0,1e17\n", r -> r.targets(1).classes(),
                "line 2, column 3 (label): class index 1e17 is out of range: it is not below 2^53");
        fails("x,label\n1,a\n2,c\n3,b\n", r -> r.targets(1).categorical("label").classes(2),
                "line 3, column 2 (label): class index \"c\" (category 2) is out of range: there are 2 classes, so classes are 0..1");
        // "2.0" is the integer 2, as in the CLI
        assertThat(CsvReader.of(write("ok.csv", "x,label\n1,2.0\n")).targets(1).classes(3).read().targets().toLongArray()).containsExactly(2);
    }

    @Test
    void columnsAndCategoriesThatDoNotExist() throws IOException {
        fails("x,y\n1,2\n", r -> r.targets("label"), "line 1: no column named \"label\" in the header (columns: \"x\", \"y\")");
        fails("x,y,x\n1,2,3\n", r -> r.targets("x"), "line 1: the column name \"x\" is ambiguous: columns 1 and 3 have it");
        fails("c,y\nred,1\nblu,0\n", r -> r.targets(1).categorical("c", List.of("red", "blue")),
                "line 3, column 1 (c): \"blu\" is not one of the categories \"red\", \"blue\"");
        fails("c,y\nred,1\n", r -> r.targets(1).categorical("colour"), "line 1: no column named \"colour\" in the header (columns: \"c\", \"y\")");
    }

    @Test
    void contradictoryOptions() throws IOException {
        Path p = write("d.csv", "a,b,y\n1,2,3\n");
        assertThatThrownBy(() -> CsvReader.of(p).targets(2).classes().read()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("class indices take one target column, but 2 are chosen");
        assertThatThrownBy(() -> CsvReader.of(p).targets(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the target column count must be at least 0, got -1");
        assertThatThrownBy(() -> CsvReader.of(p).targets("y", "y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("target columns named twice: y, y");
        assertThatThrownBy(() -> CsvReader.of(p).categorical("a", List.of("u", "u"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column a: categories listed twice in [u, u]");
    }

    @Test
    void featuresAreRoundedFromDoubleAsNumpyThenTorch() throws IOException {
        // decimal to double (np.loadtxt), then to float32 (torch.tensor); 1e-46 underflows to 0
        Tensor x = CsvReader.of(write("r.csv", "a\n0.1\n16777217\n1e-46\n")).read().features();
        assertThat(x.toDoubleArray()).containsExactly(0.1f, 16777216f, 0f);
    }
}
