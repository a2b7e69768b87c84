package dev.jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jgrad graph}: DOT and SVG of the seed's graph and of a user's model; bad options exit with 2. */
class GraphCommandTest {
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

    @Test
    void seedDotHasTheNotebooksNamesAndModuleFrames() {
        assertThat(jgrad("graph", "--format", "dot")).isZero();
        assertThat(stdout).startsWith("digraph {")
                .contains("label=\"linear1.weight (3, 2)\\l\" fillcolor=lightblue")
                .contains("label=\"AddmmBackward0\\lZ[1] (2, 3)\\l\"")
                .contains("label=\"SigmoidBackward0\\lA[3] (2, 1)\\l\"")
                .contains("label=\"linear1: Linear(in_features=2, out_features=3, bias=True)\"")
                .contains("J (binary cross-entropy) ()");
    }

    @Test
    void gradsAndValuesAfterBackward() {
        assertThat(jgrad("graph", "--format", "dot", "--values", "--grads", "--saved", "--formulas")).isZero();
        assertThat(stdout).contains("grad [[-0.0249, -0.0396],").contains("X (2, 2)").contains("fillcolor=orange")
                .contains("relu'(z) = [z > 0]");
    }

    @Test
    void builtinSvgToAFile() throws IOException {
        Path out = dir.resolve("seed.svg");
        assertThat(jgrad("graph", "-o", out.toString(), "--layout", "builtin", "--collapse")).isZero();
        assertThat(stdout).isEmpty();
        String svg = Files.readString(out);
        assertThat(svg).startsWith("<?xml").contains("<svg ").contains(">linear2: Linear(in_features=3, out_features=2, bias=True)</tspan>");
    }

    @Test
    void theOutputExtensionChoosesTheFormat() throws IOException {
        Path out = dir.resolve("seed.dot");
        assertThat(jgrad("graph", "-o", out.toString(), "--of", "output")).isZero();
        assertThat(Files.readString(out)).startsWith("digraph {").doesNotContain("BinaryCrossEntropyBackward0").contains("SigmoidBackward0");
    }

    @Test
    void aUsersModel() throws IOException {
        Path model = Files.writeString(dir.resolve("m.json"), "{\"layers\": [{\"type\": \"linear\", \"in\": 2, \"out\": 4}, {\"type\": \"relu\"},"
                + " {\"type\": \"linear\", \"in\": 4, \"out\": 1}]}");
        Path data = Files.writeString(dir.resolve("d.csv"), "a,b,y\n1,2,0.5\n3,4,-1\n");
        assertThat(jgrad("graph", "--model", model.toString(), "--data", data.toString(), "--loss", "mse", "--format", "dot")).isZero();
        assertThat(stdout).contains("MseLossBackward0").contains("0.weight (4, 2)").contains("2.bias (1,)");
    }

    @Test
    void badOptions() {
        assertThat(jgrad("graph", "--format", "png")).isEqualTo(2);
        assertThat(stderr).contains("--format must be dot or svg, not 'png'");
        assertThat(jgrad("graph", "--layout", "neato")).isEqualTo(2);
        assertThat(stderr).contains("--layout must be auto, graphviz or builtin, not 'neato'");
        assertThat(jgrad("graph", "--of", "output", "--grads")).isEqualTo(2);
        assertThat(stderr).contains("--grads needs --of cost");
    }
}
