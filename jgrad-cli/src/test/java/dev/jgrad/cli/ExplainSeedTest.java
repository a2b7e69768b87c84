package dev.jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.Jgrad;
import dev.jgrad.explain.ExplainTrace;
import dev.jgrad.explain.ExplainTrace.OptimizerStep;
import dev.jgrad.explain.ExplainTrace.ParameterCheck;
import dev.jgrad.explain.Explainer;
import dev.jgrad.explain.LossKind;
import dev.jgrad.hand.NdArray;
import dev.jgrad.optim.Adam;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code jgrad explain} completes the seed notebook's derivation: every intermediate the notebook
 * prints (Z1, A1, Z2, A2, Z3, A3 as PyTorch printed them in {@code seed_reference.out}), both
 * samples' losses 0.0955 and 0.2949 and the cost appear, and each parameter's hand-derived
 * gradient matches autograd's and PyTorch's reference gradients (8 decimals) to 1e-6, as does
 * the Adam step worked out by hand.
 */
class ExplainSeedTest {
    static String text;
    static int exitCode;
    static List<String> reference;

    @BeforeAll
    static void run() throws IOException {
        StringWriter o = new StringWriter();
        exitCode = Main.run(new PrintWriter(o), new PrintWriter(new StringWriter()), "explain");
        text = o.toString();
        try (InputStream in = ExplainSeedTest.class.getResourceAsStream("/reference/seed_reference.out")) {
            reference = Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
    }

    /** The body rows of a tensor printed in the reference after {@code header}, without "tensor(" and the suffix. */
    static List<String> referenceRows(String header) {
        int i = reference.indexOf(header);
        assertThat(i).as("reference has " + header).isGreaterThanOrEqualTo(0);
        List<String> rows = new ArrayList<>();
        for (int k = i + 1; k < reference.size(); k++) {
            String line = reference.get(k).strip();
            if (line.startsWith("tensor(")) {
                line = line.substring("tensor(".length());
            }
            boolean last = line.endsWith(")");
            line = line.replaceAll(", grad_fn=<\\w+>\\)$", "").replaceAll("\\)$", "");
            rows.add(line.strip());
            if (last) {
                break;
            }
        }
        return rows;
    }

    /** The numbers of a tensor printed in the reference after {@code header}. */
    static double[] referenceValues(String header) {
        List<Double> v = new ArrayList<>();
        Matcher m = Pattern.compile("-?\\d+\\.\\d+").matcher(String.join(" ", referenceRows(header)));
        while (m.find()) {
            v.add(Double.parseDouble(m.group()));
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void allChecksPassAndTheExitCodeIsZero() {
        assertThat(exitCode).isZero();
        assertThat(text).contains("All checks ✓: forward 6/6, cost ✓, gradients 6/6, optimizer step 6/6").doesNotContain("✗");
    }

    @Test
    void everyIntermediateTheNotebookPrintsAppearsAsPyTorchPrintedIt() {
        List<String> out = Arrays.asList(text.split("\n"));
        String[][] names = {{"Z1:", "Z[1]"}, {"A1:", "A[1]"}, {"Z2:", "Z[2]"}, {"A2:", "A[2]"}, {"Z3:", "Z[3]"}, {"A3:", "A[3]"}};
        for (String[] n : names) {
            List<String> rows = referenceRows(n[0]);
            int at = out.indexOf("  " + n[1] + " =");
            assertThat(at).as("explain prints " + n[1] + " as the result of its layer").isGreaterThan(0);
            List<String> printed = new ArrayList<>();
            for (int k = 0; k < rows.size(); k++) {
                printed.add(out.get(at + 1 + k).strip());
            }
            assertThat(printed).as(n[1]).containsExactlyElementsOf(rows);
            assertThat(out.get(at + 1 + rows.size())).as(n[1] + " is checked").startsWith("  ✓ " + n[1] + " equals jgrad's forward pass");
        }
    }

    @Test
    void theReadmesExcerptIsWhatExplainPrints() throws IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../README.md"));
        int start = readme.indexOf("```\n", readme.indexOf("arrays, not by the engine, and checked")) + 4;
        List<String> excerpt = Arrays.asList(readme.substring(start, readme.indexOf("```", start)).split("\n"));
        assertThat(excerpt).hasSizeGreaterThan(10);
        List<String> out = Arrays.asList(text.split("\n"));
        int at = 0;
        for (String line : excerpt) {
            if (line.equals("...")) {
                continue;
            }
            int found = out.subList(at, out.size()).indexOf(line);
            assertThat(found).as("README excerpt line in order: " + line).isGreaterThanOrEqualTo(0);
            at += found + 1;
        }
    }

    @Test
    void bothSampleLossesAndTheCostAreWorkedOut() {
        assertThat(text).contains("L⁽¹⁾ = −0 × log(0.0911) − (1 − 0) × log(1 − 0.0911) = 0.0955");
        assertThat(text).contains("L⁽²⁾ = −1 × log(0.7446) − (1 − 1) × log(1 − 0.7446) = 0.2949");
        assertThat(text).contains("J = (0.0955 + 0.2949) / 2 = 0.1952");
        assertThat(text).contains("✓ jgrad's cost is 0.19522884488105774");
        assertThat(reference).contains("Cost: 0.19522884488105774");
    }

    @Test
    void theBackwardPassIsTheNotebooksChainRuleNodeByNode() {
        assertThat(text).contains("[1] BinaryCrossEntropyBackward0, the grad_fn of J");
        assertThat(text).contains("−0/0.0911 + (1 − 0)/(1 − 0.0911) = 1.1003");
        assertThat(text).contains("[2] SigmoidBackward0, the grad_fn of A[3]");
        assertThat(text).contains("0.0911 × (1 − 0.0911) = 0.0828");
        assertThat(text).contains("summed over dimension 0 back to b[3]'s shape [1]");
        assertThat(text).contains("[16] AccumulateGrad of W[1] (linear1.weight)");
    }

    private static ExplainTrace library() {
        Jgrad.manualSeed(0);
        SeedNetwork net = new SeedNetwork().setNotebookWeights();
        return Explainer.of(net, net.layers()).data(SeedNetwork.notebookX(), SeedNetwork.notebookY()).loss(LossKind.BCE)
                .optimizer(new Adam(net.parameters(), 0.01)).explain();
    }

    @Test
    void eachHandGradientMatchesAutogradAndPyTorchsReferenceTo1e6() {
        ExplainTrace t = library();
        List<String> names = List.of("linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "linear3.weight", "linear3.bias");
        assertThat(t.parameters()).extracting(ParameterCheck::name).containsExactlyElementsOf(names);
        for (ParameterCheck p : t.parameters()) {
            NdArray hand = p.check().hand();
            assertThat(hand.maxAbsDiff(p.check().actual())).as(p.name() + " hand vs autograd").isLessThanOrEqualTo(1e-6);
            double[] ref = referenceValues(p.name() + ".grad (8dp):");
            assertThat(ref).hasSize(hand.numel());
            assertThat(hand.maxAbsDiff(NdArray.of(ref, hand.shape()))).as(p.name() + " hand vs PyTorch").isLessThanOrEqualTo(1e-6);
        }
    }

    @Test
    void theAdamStepByHandMatchesTheOptimizerAndPyTorch() {
        ExplainTrace t = library();
        for (OptimizerStep s : t.optimizerSteps()) {
            NdArray hand = s.check().hand();
            assertThat(s.check().ok()).as(s.parameter()).isTrue();
            double[] ref = referenceValues(s.parameter() + " after 1 Adam step:");
            assertThat(hand.maxAbsDiff(NdArray.of(ref, hand.shape()))).as(s.parameter() + " vs PyTorch").isLessThanOrEqualTo(1e-6);
        }
    }
}
