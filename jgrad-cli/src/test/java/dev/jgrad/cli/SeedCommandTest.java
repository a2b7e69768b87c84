package dev.jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code jgrad seed} prints every value of real PyTorch's run of the notebook
 * ({@code reference/seed_reference.out}, made by {@code reference/seed_reference.py} with PyTorch 1.13):
 * each reference line must appear, character for character and in order, in jgrad's output.
 */
class SeedCommandTest {
    private static String runSeed() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SeedCommand().run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static List<String> reference() throws IOException {
        try (InputStream in = SeedCommandTest.class.getResourceAsStream("/reference/seed_reference.out")) {
            return Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
    }

    @Test
    void everyReferenceLineAppearsInOrder() throws IOException {
        List<String> out = Arrays.asList(runSeed().split("\n"));
        List<String> missing = new ArrayList<>();
        int at = 0;
        for (String line : reference()) {
            int found = -1;
            for (int i = at; i < out.size(); i++) {
                if (out.get(i).equals(line)) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                missing.add(line);
            } else {
                at = found + 1;
            }
        }
        assertThat(missing).as("reference lines missing from (or out of order in) jgrad seed's output").isEmpty();
    }

    @Test
    void printsTheNotebooksCostAndInitialGradsOfNone() {
        String out = runSeed();
        assertThat(out).contains("Cost: 0.19522884488105774");
        assertThat(out).contains("weight.grad:\nNone");
        assertThat(out).contains("weight: torch.Size([3, 2]) Parameter containing:\ntensor([[-1.0000,  2.0000],");
    }

    @Test
    void mainReturnsZeroForSeed() {
        PrintStream old = System.out;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertThat(Main.run("seed")).isZero();
        } finally {
            System.setOut(old);
        }
    }
}
