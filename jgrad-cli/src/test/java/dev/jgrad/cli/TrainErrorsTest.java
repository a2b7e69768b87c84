package dev.jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.io.Safetensors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed inputs and bad options: exit code 2, a message naming the file and the line, column,
 * layer or key, and no output file left behind (not even a temporary one).
 */
class TrainErrorsTest {
    private static final String SPEC = "{\"layers\": [{\"type\": \"linear\", \"in\": 2, \"out\": 3}, {\"type\": \"relu\"},\n"
            + "  {\"type\": \"linear\", \"in\": 3, \"out\": 1}, {\"type\": \"sigmoid\"}]}\n";
    private static final String CLASSIFIER = "{\"layers\": [{\"type\": \"linear\", \"in\": 2, \"out\": 3}]}";
    private static final String DATA = "x1,x2,y\n0.5,1.0,1\n-1.0,0.25,0\n2.0,-0.5,1\n";

    @TempDir
    Path dir;
    Path model;
    Path data;
    Path out;
    Path log;
    String stderr;
    String stdout;

    @BeforeEach
    void files() throws IOException {
        model = write("model.json", SPEC);
        data = write("data.csv", DATA);
        out = dir.resolve("out.safetensors");
        log = dir.resolve("losses.csv");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private int jgrad(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        stdout = o.toString();
        stderr = e.toString();
        return code;
    }

    private List<String> train(String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--model", model.toString(), "--data", data.toString(),
                "--targets", "1", "--loss", "bce", "--optimizer", "sgd", "--lr", "0.1", "--epochs", "2", "--batch-size", "2",
                "--seed", "0", "--save", out.toString(), "--log-csv", log.toString()));
        a.addAll(Arrays.asList(extra));
        return a;
    }

    /** Replaces the value of {@code option} (or appends the option) in {@code args}. */
    private static List<String> with(List<String> args, String option, String value) {
        List<String> a = new ArrayList<>(args);
        int i = a.indexOf(option);
        if (i >= 0) {
            a.set(i + 1, value);
        } else {
            a.add(option);
            a.add(value);
        }
        return a;
    }

    private Set<String> listing() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Runs a failing command: exit 2, every fragment in the message, and the folder as before. */
    private void fails(List<String> args, String... fragments) throws IOException {
        Set<String> before = listing();
        assertThat(jgrad(args.toArray(new String[0]))).as("exit code; stderr: %s", stderr).isEqualTo(2);
        assertThat(stderr).contains(fragments);
        assertThat(listing()).as("files after the failed run").isEqualTo(before);
    }

    @Test
    void succeedsOnTheGoodFilesWithLogAndSummary() throws IOException {
        assertThat(jgrad(train().toArray(new String[0]))).as(stderr).isZero();
        List<String> rows = Files.readAllLines(log);
        assertThat(rows).hasSize(1 + 2 * 2);
        assertThat(rows.get(0)).isEqualTo("step,epoch,loss");
        assertThat(rows.get(1)).startsWith("1,1,");
        assertThat(rows.get(3)).startsWith("3,2,");
        assertThat(stdout).contains("trained 2 epochs (4 steps) on 3 rows; last batch loss " + rows.get(4).split(",")[2]);
        assertThat(Safetensors.load(out).keySet()).containsExactlyInAnyOrder("0.weight", "0.bias", "2.weight", "2.bias");
        assertThat(listing()).containsExactlyInAnyOrder("model.json", "data.csv", "out.safetensors", "losses.csv");
    }

    @Test
    void raggedRow() throws IOException {
        write("data.csv", "x1,x2,y\n0.5,1.0,1\n\n-1.0,0.25\n");
        fails(train(), data + ": line 4: 2 columns but the header has 3");
    }

    @Test
    void nonNumericCell() throws IOException {
        write("data.csv", "x1,x2,y\n0.5,1.0,1\n-1.0,abc,0\n");
        fails(train(), data + ": line 3, column 2 (x2): not a number: \"abc\"");
        write("data.csv", "x1,x2,y\n0.5,nan,1\n");
        fails(train(), data + ": line 2, column 2 (x2): not a number: \"nan\"");
        write("data.csv", "x1,x2,y\n0.5,1e39,1\n");
        fails(train(), data + ": line 2, column 2 (x2): 1e39 is out of the float32 range");
    }

    @Test
    void classIndexOutOfRangeOrNotAnInteger() throws IOException {
        model = write("model.json", CLASSIFIER);
        List<String> ce = with(train(), "--loss", "cross-entropy");
        write("data.csv", "x1,x2,label\n0.5,1.0,2\n-1.0,0.25,3\n");
        fails(ce, data + ": line 3, column 3 (label): class index 3 is out of range: the model has 3 outputs, so classes are 0..2");
        write("data.csv", "x1,x2,label\n0.5,1.0,-1\n");
        fails(ce, data + ": line 2, column 3 (label): class index -1 is out of range");
        write("data.csv", "x1,x2,label\n0.5,1.0,1.5\n");
        fails(ce, data + ": line 2, column 3 (label): not an integer class index: \"1.5\"");
        write("data.csv", "x1,x2,label\n0.5,1.0,2.0\n");
        assertThat(jgrad(ce.toArray(new String[0]))).as(stderr).isZero();
    }

    @Test
    void emptyOrHeaderOnlyOrUnclosedQuote() throws IOException {
        write("data.csv", "");
        fails(train(), data + ": empty file");
        write("data.csv", "x1,x2,y\n");
        fails(train(), data + ": no data rows after the header");
        write("data.csv", "x1,x2,y\n0.5,\"1.0,1\n");
        fails(train(), data + ": invalid CSV");
        write("data.csv", "y\n1\n");
        fails(train(), data + ": line 1: the header has 1 column, so 1 target column leave no feature columns");
    }

    @Test
    void columnsThatDoNotFitTheModel() throws IOException {
        write("data.csv", "x1,x2,x3,y\n0.5,1.0,2,1\n");
        fails(train(), data + " has 3 feature columns (all but the last 1 of 4), but the model's first linear layer takes in=2");
        fails(with(train(), "--targets", "2"), "--loss bce compares each output with a target, but the model gives 1 output and --targets is 2");
        fails(with(with(train(), "--loss", "cross-entropy"), "--targets", "2"),
                "cross-entropy takes one target column of class indices, but --targets is 2");
    }

    @Test
    void malformedSpec() throws IOException {
        write("model.json", "{\"layers\": [\n  {\"type\": \"relu\"}\n  {\"type\": \"tanh\"}]}");
        fails(train(), model + ": line 3, column 3: invalid JSON: expected ']'");
        write("model.json", "{\"layers\": [{\"type\": \"linear\", \"in\": 2, \"out\": 3}, {\"type\": \"linear\", \"in\": 4, \"out\": 1}]}");
        fails(train(), model + ": layer 1 (linear): in=4 but the previous layer gives 3 features");
        write("model.json", "{\"layers\": [{\"type\": \"linear\", \"in\": 2, \"out\": 1, \"activation\": \"relu\"}]}");
        fails(train(), model + ": layer 0 (linear): unknown key \"activation\"");
        fails(List.of("init", "--model", model.toString(), "--save", out.toString()), model + ": layer 0 (linear): unknown key");
    }

    @Test
    void malformedOrMismatchedInitWeights() throws IOException {
        Path init = dir.resolve("init.safetensors");
        Files.write(init, new byte[] {16, 0, 0, 0, 0, 0, 0, 0, '{', '"', 'a'});
        fails(train("--init", init.toString()), init + ": header length 16 is invalid");
        Safetensors.save(Map.of("0.weight", Jgrad.zeros(3, 2), "0.bias", Jgrad.zeros(3), "2.weight", Jgrad.zeros(1, 3)), init);
        fails(train("--init", init.toString()), init + ": Error(s) in loading state_dict for Sequential:",
                "Missing key(s) in state_dict: \"2.bias\"");
        Safetensors.save(Map.<String, Tensor>of("0.weight", Jgrad.zeros(2, 2), "0.bias", Jgrad.zeros(3), "2.weight",
                Jgrad.zeros(1, 3), "2.bias", Jgrad.zeros(1)), init);
        fails(train("--init", init.toString()), "size mismatch for 0.weight");
        fails(train("--init", dir.resolve("nope.safetensors").toString()), "nope.safetensors: no such file");
    }

    @Test
    void badOptions() throws IOException {
        fails(train("--freeze", "0.weight,9.bias"), "--freeze: the model has no parameter \"9.bias\" (it has: 0.weight, 0.bias, 2.weight, 2.bias)");
        fails(train("--freeze", "0.weight,0.bias,2.weight,2.bias"), "every parameter is frozen");
        fails(with(train(), "--loss", "hinge"), "--loss must be bce, bce-logits, mse or cross-entropy, not 'hinge'");
        fails(with(train(), "--optimizer", "rmsprop"), "--optimizer must be sgd, adam or adamw, not 'rmsprop'");
        List<String> noLr = train();
        noLr.remove(noLr.indexOf("--lr") + 1);
        noLr.remove("--lr");
        fails(noLr, "--lr is required for sgd");
        fails(train("--betas", "0.9,0.99"), "--betas applies to adam and adamw only");
        fails(with(with(train(), "--optimizer", "adam"), "--momentum", "0.9"), "--momentum applies to sgd only, not adam");
        fails(train("--nesterov"), "Nesterov momentum requires a momentum and zero dampening");
        fails(with(train(), "--log-csv", out.toString()), "--log-csv and --save name the same file");
        fails(with(train(), "--batch-size", "0"), "--batch-size must be a positive integer, got 0");
    }

    @Test
    void trainingFailureLeavesNothingAndKeepsAnOldOutput() throws IOException {
        // the logits of a model without sigmoid are not probabilities: bce fails in the first step
        write("model.json", "{\"layers\": [{\"type\": \"linear\", \"in\": 2, \"out\": 1}]}");
        Files.writeString(out, "old");
        fails(with(train(), "--lr", "0.1"), "all elements of input should be between 0 and 1");
        assertThat(Files.readString(out)).isEqualTo("old");
    }

    @Test
    void missingFilesAndFolders() throws IOException {
        fails(with(train(), "--data", dir.resolve("none.csv").toString()), "none.csv: no such file");
        fails(with(train(), "--model", dir.resolve("none.json").toString()), "none.json: no such file");
        fails(with(train(), "--save", dir.resolve("sub/out.safetensors").toString()), "does not exist");
        fails(List.of("train", "--model", model.toString()), "Missing required options");
    }
}
