package dev.jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.io.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke test of {@code jgrad bench --quick}: it runs, prints the table and the machine, writes
 * JSON with a value for every row, and drives the PyTorch side when /usr/bin/python3 has torch.
 * No timing is asserted.
 */
class BenchCommandTest {
    private static boolean torchAvailable() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch, numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void quickBenchPrintsTheTableAndWritesJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "bench", "--quick", "--only", "seed,sgemm,memory",
                "--json", json.toString());
        assertThat(code).as("exit code; stderr: %s", err).isZero();
        String text = out.toString();
        assertThat(text).contains("| workload | threads | jgrad | PyTorch |", "seed network step", "SGEMM N = 128",
                "jgrad matrix kernels:", "cpu:", "bytes allocated per step");
        Map<String, Object> doc = (Map<String, Object>) Json.parse(Files.readString(json));
        List<Object> rows = (List<Object>) doc.get("rows");
        // seed: 1, 2, best; SGEMM 128 and 512 at 1 and 2 threads
        assertThat(rows).hasSize(3 + 4);
        boolean torch = torchAvailable();
        for (Object o : rows) {
            Map<String, Object> row = (Map<String, Object>) o;
            assertThat(((Number) row.get("jgrad")).doubleValue()).as("jgrad value of %s", row).isPositive();
            if (torch) {
                assertThat(((Number) row.get("pytorch")).doubleValue()).as("PyTorch value of %s", row).isPositive();
                assertThat(((Number) row.get("jgrad_advantage")).doubleValue()).as("ratio of %s", row).isPositive();
            }
        }
        Map<String, Object> machine = (Map<String, Object>) doc.get("machine");
        assertThat(machine).containsKeys("cpu", "cores", "jvm", "jgrad matrix kernels");
        if (torch) {
            assertThat(machine).containsKeys("pytorch", "pytorch BLAS", "numpy");
            assertThat(text).doesNotContain("PyTorch side not run");
        }
        Map<String, Object> memory = (Map<String, Object>) doc.get("memory");
        assertThat(memory).isNotEmpty();
    }

    @Test
    void withoutTorchOnlyJgradsColumnIsFilled() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "bench", "--quick", "--no-torch", "--only", "seed");
        assertThat(code).as("stderr: %s", err).isZero();
        assertThat(out.toString()).contains("seed network step").contains("| n/a |");
    }

    @Test
    void aMissingPythonIsANoteNotAFailure() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "bench", "--quick", "--python", "/nonexistent/python3",
                "--only", "seed");
        assertThat(code).as("stderr: %s", err).isZero();
        assertThat(out.toString()).contains("note: PyTorch side not run");
    }
}
