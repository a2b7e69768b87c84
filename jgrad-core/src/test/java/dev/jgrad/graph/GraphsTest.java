package dev.jgrad.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Sigmoid;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * Pictures of autograd graphs: DOT with PyTorch's node names, torchviz's colours, parameter names
 * and shapes, saved tensors, values, module frames and collapsed modules; the DOT parses with
 * Graphviz and the SVGs (Graphviz's and jgrad's own layout) are well-formed and render to PNG
 * with rsvg-convert. Tests needing those programs are skipped when they are missing, unless
 * {@code JGRAD_REQUIRE_GRAPHVIZ=1} (as {@code .ci/run} sets), where they fail instead.
 */
class GraphsTest {
    @TempDir
    Path dir;

    private static final class Built {
        Sequential net;
        Tensor x;
        List<Tensor> outs = new ArrayList<>();
        Tensor loss;
    }

    /** Linear(2, 3), ReLU, Linear(3, 1), Sigmoid, binary cross-entropy, layer by layer. */
    private static Built seedLike() {
        Built b = new Built();
        Jgrad.manualSeed(0);
        b.net = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1), new Sigmoid());
        b.x = Jgrad.tensor(new double[][] {{1, 2}, {3, 4}});
        Tensor a = b.x;
        for (Module m : b.net.children()) {
            a = m.forward(a);
            b.outs.add(a);
        }
        b.loss = F.binaryCrossEntropy(a, Jgrad.tensor(new double[][] {{0}, {1}}));
        return b;
    }

    private static GraphOptions groups(Built b, GraphOptions o) {
        Tensor in = b.x;
        for (int i = 0; i < b.outs.size(); i++) {
            o.group("layer " + i, in, b.outs.get(i));
            in = b.outs.get(i);
        }
        return o;
    }

    private static int count(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void dotHasPyTorchsNodeNamesTorchvizColoursAndNamedParameters() {
        Built b = seedLike();
        String dot = Graphs.toDot(b.loss, new GraphOptions().names(b.net).name(b.outs.get(0), "Z[1]"));
        for (String fn : List.of("BinaryCrossEntropyBackward0", "SigmoidBackward0", "AddmmBackward0", "ReluBackward0", "TBackward0")) {
            assertThat(dot).contains("label=\"" + fn);
        }
        assertThat(count(dot, "label=\"AddmmBackward0")).isEqualTo(2);
        assertThat(count(dot, "label=\"AccumulateGrad")).isEqualTo(4);
        assertThat(dot).contains("[label=\"0.weight (3, 2)\\l\" fillcolor=lightblue]")
                .contains("[label=\"2.bias (1,)\\l\" fillcolor=lightblue]")
                .contains("label=\"AddmmBackward0\\lZ[1] (2, 3)\\l\" fillcolor=lightgrey]")
                .contains("fillcolor=darkolivegreen1");
        // 11 backward nodes + 4 parameters + the output; an arrow into each node from each of its inputs that
        // requires grad (X does not): 4 parameters, 10 between nodes, 1 to the output
        assertThat(count(dot, "\\[label=")).isEqualTo(16);
        assertThat(count(dot, " -> ")).isEqualTo(15);
        assertThat(dot).doesNotContain("fillcolor=orange").doesNotContain("cluster");
    }

    @Test
    void savedTensorsValuesAndGradientsAreShownWhenAsked() {
        Built b = seedLike();
        b.loss.backward(null, true, false);
        String dot = Graphs.toDot(b.loss, new GraphOptions().names(b.net).name(b.x, "X").saved(true).values(true).grads(true)
                .formulas(true));
        assertThat(dot).contains("fillcolor=orange").contains("style=dashed");
        assertThat(dot).contains("X (2, 2)\\l[[1., 2.],\\l [3., 4.]]\\l");
        assertThat(dot).contains("0.weightᵀ (2, 3)");
        assertThat(dot).contains("grad [");
        assertThat(dot).contains("σ'(z) = σ(z)(1 − σ(z))");
    }

    @Test
    void largeValuesAreSummarised() {
        Jgrad.manualSeed(0);
        Linear big = new Linear(20, 30);
        Tensor y = big.forward(Jgrad.ones(2, 20)).sum();
        String dot = Graphs.toDot(y, new GraphOptions().names(big).values(true).maxElements(6));
        assertThat(dot).contains("weight (30, 20)\\l[[").contains("...").contains("norm ");
    }

    @Test
    void modulesAreFramedOrCollapsed() {
        Built b = seedLike();
        String framed = Graphs.toDot(b.loss, groups(b, new GraphOptions().names(b.net)));
        assertThat(count(framed, "subgraph cluster_")).isEqualTo(4);
        assertThat(framed).contains("label=\"layer 0\"");
        String collapsed = Graphs.toDot(b.loss, groups(b, new GraphOptions().names(b.net)).collapse(true));
        assertThat(collapsed).doesNotContain("cluster").doesNotContain("AccumulateGrad");
        // four modules, the loss node and the output, in a chain
        assertThat(count(collapsed, "\\[label=")).isEqualTo(6);
        assertThat(count(collapsed, " -> ")).isEqualTo(5);
        assertThat(collapsed).contains("label=\"layer 0\\lAddmmBackward0, TBackward0\\l0.bias (3,)\\l0.weight (3, 2)\\l\" fillcolor=lightyellow");
    }

    @Test
    void aDeepModelCollapsesToOneBoxPerModule() {
        Jgrad.manualSeed(1);
        Sequential net = new Sequential();
        for (int i = 0; i < 12; i++) {
            net.add(new Linear(4, 4)).add(new ReLU());
        }
        GraphOptions o = new GraphOptions().names(net).collapse(true);
        Tensor a = Jgrad.ones(3, 4);
        for (Module m : net.children()) {
            Tensor y = m.forward(a);
            o.group(m.getName(), a, y);
            a = y;
        }
        String dot = Graphs.toDot(a.sum(), o);
        assertThat(count(dot, "\\[label=")).isEqualTo(24 + 2);
        assertThat(SvgLayoutCheck.wellFormed(Graphs.toSvg(a.sum(), o))).isTrue();
    }

    /** Parses SVG as XML. */
    static final class SvgLayoutCheck {
        static boolean wellFormed(String svg) {
            try {
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
                Document d = f.newDocumentBuilder()
                        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
                return d.getDocumentElement().getNodeName().equals("svg");
            } catch (Exception e) {
                throw new AssertionError("not well-formed SVG: " + e.getMessage(), e);
            }
        }
    }

    @Test
    void builtinSvgHasABoxAndItsLabelPerNode() {
        Built b = seedLike();
        String svg = Graphs.toSvg(b.loss, new GraphOptions().names(b.net).values(true));
        assertThat(SvgLayoutCheck.wellFormed(svg)).isTrue();
        assertThat(count(svg, "<rect ")).isEqualTo(16 + 1);
        assertThat(count(svg, "<path d=\"M [^\"]* C ")).isEqualTo(15);
        assertThat(svg).contains(">BinaryCrossEntropyBackward0</tspan>").contains(">0.weight (3, 2)</tspan>")
                .contains("fill=\"#add8e6\"").contains("fill=\"#caff70\"");
    }

    // ------------------------------------------------------------------ with Graphviz and rsvg-convert

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(d, program).canExecute()) {
                return true;
            }
        }
        return false;
    }

    private static void requireProgram(String program) {
        if ("1".equals(System.getenv("JGRAD_REQUIRE_GRAPHVIZ"))) {
            assertThat(onPath(program)).as(program + " is on the PATH (JGRAD_REQUIRE_GRAPHVIZ=1)").isTrue();
        }
        assumeThat(onPath(program)).as(program + " is on the PATH").isTrue();
    }

    /** Runs a program; returns its exit code. */
    private static int run(List<String> cmd, Path stdin, Path stdout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        pb.redirectOutput(stdout.toFile());
        pb.redirectError(ProcessBuilder.Redirect.appendTo(stdout.resolveSibling(stdout.getFileName() + ".err").toFile()));
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static void assertPng(Path png) throws IOException {
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(1000);
        assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        int width = ((bytes[16] & 0xff) << 24) | ((bytes[17] & 0xff) << 16) | ((bytes[18] & 0xff) << 8) | (bytes[19] & 0xff);
        int height = ((bytes[20] & 0xff) << 24) | ((bytes[21] & 0xff) << 16) | ((bytes[22] & 0xff) << 8) | (bytes[23] & 0xff);
        assertThat(width).isGreaterThan(100);
        assertThat(height).isGreaterThan(100);
    }

    @Test
    void dotParsesWithGraphviz() throws Exception {
        requireProgram("dot");
        Built b = seedLike();
        b.loss.backward(null, true, false);
        GraphOptions o = groups(b, new GraphOptions().names(b.net).name(b.x, "X").saved(true).values(true).grads(true).formulas(true));
        for (GraphOptions opts : List.of(o, groups(b, new GraphOptions().names(b.net)).collapse(true))) {
            Path dot = Files.writeString(dir.resolve("g.dot"), Graphs.toDot(b.loss, opts));
            Path canon = dir.resolve("g.canon");
            assertThat(run(List.of("dot", "-Tcanon"), dot, canon)).as(Files.readString(dir.resolve("g.canon.err"))).isZero();
            assertThat(Files.readString(dir.resolve("g.canon.err"))).as("Graphviz warnings").isEmpty();
            assertThat(Files.readString(canon)).contains("AddmmBackward0");
        }
        String svg = Graphs.graphviz(Graphs.toDot(b.loss, o), "svg");
        assertThat(SvgLayoutCheck.wellFormed(svg)).isTrue();
        assertThat(Graphs.graphvizAvailable()).isTrue();
    }

    @Test
    void bothSvgsRenderToPng() throws Exception {
        requireProgram("rsvg-convert");
        Built b = seedLike();
        GraphOptions o = new GraphOptions().names(b.net).values(true).saved(true);
        List<String> svgs = new ArrayList<>(List.of(Graphs.toSvg(b.loss, o)));
        if (onPath("dot")) {
            svgs.add(Graphs.graphviz(Graphs.toDot(b.loss, o), "svg"));
        }
        for (int i = 0; i < svgs.size(); i++) {
            Path svg = Files.writeString(dir.resolve("g" + i + ".svg"), svgs.get(i));
            Path png = dir.resolve("g" + i + ".png");
            assertThat(run(List.of("rsvg-convert", "-o", png.toString(), svg.toString()), null, dir.resolve("out" + i)))
                    .as(Files.readString(dir.resolve("out" + i + ".err"))).isZero();
            assertPng(png);
        }
    }
}
