package dev.jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.io.Json;
import dev.jgrad.io.Safetensors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jgrad explain}'s options: a user's model, weights and data, one sample, formats, and errors (exit code 2). */
class ExplainCommandTest {
    @TempDir
    Path dir;
    String stdout;
    String stderr;

    private int jgrad(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        stdout = o.toString();
        stderr = e.toString();
        return code;
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void aUsersModelWeightsAndDataAreExplainedAndChecked() throws IOException {
        Path model = write("m.json", "{\"layers\": [{\"type\": \"linear\", \"in\": 2, \"out\": 3}, {\"type\": \"tanh\"},"
                + " {\"type\": \"linear\", \"in\": 3, \"out\": 2}]}");
        Path data = write("d.csv", "x1,x2,c\n0.5,1.0,1\n-1.0,0.25,0\n2.0,-0.5,1\n");
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("0.weight", Jgrad.tensor(new double[][] {{0.1, -0.2}, {0.3, 0.4}, {-0.5, 0.6}}));
        w.put("0.bias", Jgrad.tensor(new double[] {0.01, -0.02, 0.03}));
        w.put("2.weight", Jgrad.tensor(new double[][] {{0.7, -0.8, 0.9}, {-0.1, 0.2, -0.3}}));
        w.put("2.bias", Jgrad.tensor(new double[] {0.5, -0.5}));
        Path weights = dir.resolve("w.safetensors");
        Files.write(weights, Safetensors.serialize(w, Map.of()));

        int code = jgrad("explain", "--model", model.toString(), "--weights", weights.toString(), "--data", data.toString(),
                "--loss", "cross-entropy", "--optimizer", "adam", "--lr", "0.1");
        assertThat(code).as(stderr).isZero();
        assertThat(stdout).contains("model m.json with weights w.safetensors, data d.csv")
                .contains("-- 1: Tanh() --")
                .contains("W[1]ᵀ (0.weight [3, 2], transposed) =")
                .contains("[1] NllLossBackward0, the grad_fn of J")
                .contains("[2] LogSoftmaxBackward0, the grad_fn of logsoftmax(Z[2])")
                .contains("== 5. Optimizer step: Adam (lr=0.1, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0) ==")
                .contains("All checks ✓: forward 3/3, cost ✓, gradients 4/4, optimizer step 4/4");
    }

    @Test
    void oneSampleAloneIsABatchOfOne() {
        assertThat(jgrad("explain", "--sample", "2")).isZero();
        assertThat(stdout).contains("Sample 2 alone, as a batch of one (m = 1).")
                .contains("L⁽²⁾ = −1 × log(0.7446) − (1 − 1) × log(1 − 0.7446) = 0.2949")
                .doesNotContain("L⁽¹⁾")
                .contains("J = 0.2949")
                .contains("All checks ✓");
    }

    @Test
    void jsonIsTheWholeTrace() {
        assertThat(jgrad("explain", "--format", "json")).isZero();
        Map<?, ?> t = (Map<?, ?>) Json.parse(stdout);
        assertThat(t.get("format")).isEqualTo("jgrad-explain/1");
        assertThat((List<?>) t.get("forward")).hasSize(6);
        assertThat((List<?>) t.get("backward")).hasSize(16);
        assertThat((List<?>) t.get("parameters")).hasSize(6);
        Map<?, ?> first = (Map<?, ?>) ((List<?>) t.get("backward")).get(0);
        assertThat(first.get("name")).isEqualTo("BinaryCrossEntropyBackward0");
        assertThat(((Map<?, ?>) first.get("formula")).get("latex").toString()).contains("\\frac{\\partial L}{\\partial a}");
    }

    @Test
    void largeMatricesAreSummarised() {
        assertThat(jgrad("explain", "--max-elements", "4")).isZero();
        assertThat(stdout).contains("(shape [3, 2], norm");
    }

    @Test
    void badOptionsExitWithTwo() throws IOException {
        assertThat(jgrad("explain", "--format", "pdf")).isEqualTo(2);
        assertThat(stderr).contains("--format must be text, markdown or json, not 'pdf'");
        assertThat(jgrad("explain", "--data", "d.csv")).isEqualTo(2);
        assertThat(stderr).contains("--data needs --model");
        assertThat(jgrad("explain", "--sample", "3")).isEqualTo(2);
        assertThat(stderr).contains("sample 3 is out of range: the data has 2 samples, numbered 1..2");
        assertThat(jgrad("explain", "--optimizer", "rmsprop")).isEqualTo(2);
        assertThat(stderr).contains("--optimizer must be sgd, adam, adamw or none, not 'rmsprop'");
        assertThat(jgrad("explain", "--lr", "0.1")).isEqualTo(2);
        assertThat(stderr).contains("optimizer options need --optimizer");
        Path model = write("m.json", "{\"layers\": [{\"type\": \"linear\", \"in\": 2, \"out\": 1}]}");
        assertThat(jgrad("explain", "--model", model.toString())).isEqualTo(2);
        assertThat(stderr).contains("--data is required with --model");
        Path data = write("d.csv", "a,b,c,y\n1,2,3,1\n");
        assertThat(jgrad("explain", "--model", model.toString(), "--data", data.toString(), "--loss", "mse")).isEqualTo(2);
        assertThat(stderr).contains("d.csv has 3 feature columns, but the model's first linear layer takes in=2");
        assertThat(jgrad("explain", "--model", model.toString(), "--data", data.toString(), "--loss", "hinge")).isEqualTo(2);
        assertThat(stderr).contains("--loss must be bce, bce-logits, mse or cross-entropy, not 'hinge'");
    }
}
