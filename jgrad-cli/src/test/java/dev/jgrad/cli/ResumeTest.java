package dev.jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.io.Checkpoint;
import dev.jgrad.io.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints and {@code --resume}: a training process (a real child JVM) is killed with SIGKILL
 * in the middle of an epoch after a checkpoint exists, resumed from that checkpoint, and its final
 * weights, loss log and history must equal an uninterrupted run's byte for byte. The run uses
 * dropout (the generator is drawn from within the epoch), a validation split, a warm-up+cosine
 * schedule and gradient clipping, so every piece of state a checkpoint holds matters.
 */
class ResumeTest {
    static final String SPEC = "{\"layers\": [{\"type\": \"linear\", \"in\": 2, \"out\": 24}, {\"type\": \"relu\"},"
            + " {\"type\": \"dropout\", \"p\": 0.2}, {\"type\": \"linear\", \"in\": 24, \"out\": 2}]}";

    @TempDir
    Path dir;

    List<String> args(String suffix, int epochs) {
        return new ArrayList<>(List.of("train", "--model", dir.resolve("m.json").toString(), "--data", "moons:600,noise=0.2",
                "--val-split", "0.2", "--loss", "cross-entropy", "--optimizer", "adam", "--lr", "0.01", "--epochs", Integer.toString(epochs),
                "--batch-size", "16", "--seed", "3", "--scheduler", "cosine", "--warmup", "2", "--clip-grad-norm", "1.0",
                "--metrics", "accuracy,f1", "--progress", "none", "-q",
                "--save", dir.resolve("w" + suffix + ".safetensors").toString(), "--log-csv", dir.resolve("log" + suffix + ".csv").toString(),
                "--history-csv", dir.resolve("hist" + suffix + ".csv").toString()));
    }

    static void run(List<String> args) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args.toArray(new String[0]));
        assertThat(code).as("jgrad %s: %s", args, err).isZero();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> state(Path ck) {
        try {
            return (Map<String, Object>) Json.parse(Checkpoint.load(ck).meta("jgrad.state"));
        } catch (IOException e) {
            return null; // not there yet
        }
    }

    private void assertSameOutputs(String a, String b) throws IOException {
        for (String f : List.of("log%s.csv", "hist%s.csv")) {
            assertThat(Files.readString(dir.resolve(String.format(f, b)))).as(f, b).isEqualTo(Files.readString(dir.resolve(String.format(f, a))));
        }
        assertThat(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("w" + b + ".safetensors")),
                Files.readAllBytes(dir.resolve("w" + a + ".safetensors")))).as("the final weights are byte-identical").isTrue();
    }

    @Test
    void killedMidEpochAndResumedEqualsAnUninterruptedRun() throws Exception {
        Files.writeString(dir.resolve("m.json"), SPEC);
        run(args("_full", 5)); // 480 training rows: 30 batches per epoch, 150 steps
        Path ck = dir.resolve("ck.safetensors");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < jvm.size(); i++) {
            String a = jvm.get(i);
            if (a.startsWith("--add-modules") || a.startsWith("--enable-preview") || a.startsWith("--add-opens")
                    || a.startsWith("-Djdk.module.addmods")) {
                cmd.add(a); // whatever the library needs to run (e.g. the incubating Vector API)
                if ((a.equals("--add-modules") || a.equals("--add-opens")) && i + 1 < jvm.size()) {
                    cmd.add(jvm.get(++i));
                }
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        List<String> child = args("_part", 5);
        child.addAll(List.of("--checkpoint", ck.toString(), "--checkpoint-every", "7", "--throttle-ms", "15"));
        cmd.addAll(child);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile()).start();
        Map<String, Object> seen = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()) {
            Map<String, Object> st = Files.exists(ck) ? state(ck) : null;
            if (st != null && ((Number) st.get("step")).intValue() >= 40 && Boolean.FALSE.equals(st.get("epoch_complete"))) {
                seen = st;
                break;
            }
            Thread.sleep(2);
        }
        p.destroyForcibly(); // SIGKILL
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).as("a mid-epoch checkpoint while the child ran; its output: %s",
                Files.exists(dir.resolve("child.out")) ? Files.readString(dir.resolve("child.out")) : "").isNotNull();
        assertThat(p.exitValue()).as("killed, not finished").isNotZero();
        assertThat(dir.resolve("w_part.safetensors")).as("the killed run wrote no final output").doesNotExist();
        Map<String, Object> last = state(ck);
        assertThat(((Number) last.get("step")).intValue()).isLessThan(150);
        assertThat(last.get("epoch_complete")).as("resuming from the middle of an epoch (%s)", last).isEqualTo(false);

        List<String> resume = args("_part", 5);
        resume.addAll(List.of("--checkpoint", ck.toString(), "--checkpoint-every", "7", "--resume", ck.toString()));
        run(resume);
        assertSameOutputs("_full", "_part");
    }

    @Test
    void resumingAFinishedRunWithMoreEpochsContinuesItExactly() throws Exception {
        Files.writeString(dir.resolve("m.json"), SPEC);
        List<String> full = args("_full", 4);
        full.set(full.indexOf("cosine"), "cosine:6");
        run(full);
        Path ck = dir.resolve("ck.safetensors");
        List<String> first = args("_part", 2);
        first.set(first.indexOf("cosine"), "cosine:6");
        first.addAll(List.of("--checkpoint", ck.toString()));
        run(first);
        assertThat(state(ck).get("epoch_complete")).isEqualTo(true);
        List<String> more = args("_part", 4);
        more.set(more.indexOf("cosine"), "cosine:6");
        more.addAll(List.of("--resume", ck.toString()));
        run(more);
        assertSameOutputs("_full", "_part");
    }

    @Test
    void resumeWithOtherOptionsIsAnError() throws Exception {
        Files.writeString(dir.resolve("m.json"), SPEC);
        Path ck = dir.resolve("ck.safetensors");
        List<String> first = args("_a", 1);
        first.addAll(List.of("--checkpoint", ck.toString()));
        run(first);
        List<String> other = args("_b", 3);
        other.set(other.indexOf("--lr") + 1, "0.02");
        other.addAll(List.of("--resume", ck.toString()));
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), other.toArray(new String[0]));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("the checkpoint was made with lr = 0.01, but this run has lr = 0.02");
        List<String> longer = args("_b", 5);
        longer.addAll(List.of("--resume", ck.toString()));
        err = new StringWriter();
        code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), longer.toArray(new String[0]));
        assertThat(err.toString()).as("cosine's default T_max follows --epochs, so it changed")
                .contains("the checkpoint was made with scheduler = \"cosine:1,0.0\", but this run has scheduler = \"cosine:3,0.0\"");
        assertThat(dir.resolve("w_b.safetensors")).doesNotExist();
        Files.write(dir.resolve("junk.safetensors"), new byte[] {1, 2, 3});
        List<String> junk = args("_b", 3);
        junk.addAll(List.of("--resume", dir.resolve("junk.safetensors").toString()));
        err = new StringWriter();
        assertThat(Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), junk.toArray(new String[0]))).isEqualTo(2);
        assertThat(err.toString()).contains("junk.safetensors");
    }
}
