package dev.jgrad.cli.bench;

import dev.jgrad.io.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch side of the bench: {@code bench_torch.py} (shipped in the jar) running in a Python
 * process for the whole bench, one JSON command and one JSON reply per line.
 */
final class PythonSide implements AutoCloseable {
    private final Process process;
    private final Writer in;
    private final BufferedReader out;
    private final Path script;

    private PythonSide(Process process, Path script) {
        this.process = process;
        this.script = script;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts the script with {@code python}, {@code env} added to its environment; throws with the
     * reason when Python or torch is missing.
     */
    static PythonSide start(String python, Map<String, String> env) throws IOException {
        Path script = Files.createTempFile("jgrad-bench-", ".py");
        try (InputStream res = PythonSide.class.getResourceAsStream("/dev/jgrad/cli/bench/bench_torch.py")) {
            if (res == null) {
                throw new IOException("bench_torch.py is missing from the jar");
            }
            Files.copy(res, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Path log = Files.createTempFile("jgrad-bench-", ".log");
        ProcessBuilder pb = new ProcessBuilder(python, "-u", script.toString());
        pb.redirectError(log.toFile());
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            Files.deleteIfExists(script);
            throw new IOException("cannot run " + python + ": " + e.getMessage(), e);
        }
        PythonSide side = new PythonSide(p, script);
        String first = side.out.readLine();
        if (first == null || !first.contains("ready")) {
            side.close();
            String err = Files.readString(log).trim();
            String[] lines = err.split("\n");
            throw new IOException(python + " could not start the PyTorch side: " + (lines.length == 0 ? "no output" : lines[lines.length - 1]));
        }
        Files.deleteIfExists(log);
        return side;
    }

    /** Sends one command and returns the reply; a reply with "error" throws. */
    @SuppressWarnings("unchecked")
    Map<String, Object> call(Map<String, Object> command) throws IOException {
        in.write(Json.write(command));
        in.write('\n');
        in.flush();
        String line = out.readLine();
        if (line == null) {
            throw new IOException("the PyTorch side exited");
        }
        Map<String, Object> reply = (Map<String, Object>) Json.parse(line);
        if (reply.containsKey("error")) {
            throw new IOException("PyTorch side: " + reply.get("error"));
        }
        return reply;
    }

    @Override
    public void close() throws IOException {
        try {
            in.write("{\"op\":\"quit\"}\n");
            in.flush();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(script);
    }
}
