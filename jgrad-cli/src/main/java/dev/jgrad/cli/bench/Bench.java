package dev.jgrad.cli.bench;

import dev.jgrad.Jgrad;
import dev.jgrad.io.Json;
import dev.jgrad.kernel.Gemm;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the bench: for each workload and thread count, a warm-up on each side, then rounds of one
 * sample per side in alternating order, back to back; medians; a Markdown table with the ratio
 * per row; the machine; memory. No timing is asserted anywhere.
 */
public final class Bench {
    private final boolean quick;
    private final int rounds;
    private final String python;
    private final Path data;
    private final List<String> only;
    private final PrintWriter out;
    private final double sampleSeconds;
    private final double warmSeconds;
    private final double firstWarmSeconds;
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> machine = new LinkedHashMap<>();
    private final Map<String, Object> memory = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    /** /proc/cpuinfo, read once. */
    private final Map<String, String> cpu = cpuInfo();
    private PythonSide py;

    public Bench(boolean quick, Integer rounds, String python, Path data, List<String> only, PrintWriter out) {
        this.quick = quick;
        this.rounds = rounds != null ? Math.max(1, rounds) : quick ? 1 : 5;
        this.python = python;
        this.data = data;
        this.only = only;
        this.out = out;
        this.sampleSeconds = quick ? 0.1 : 0.5;
        this.warmSeconds = quick ? 0.1 : 0.5;
        this.firstWarmSeconds = quick ? 0.2 : 3.0;
    }

    /** One line of the table. */
    static final class Row {
        final String workload;
        final String threads;
        final String unit;
        final boolean higherIsBetter;
        final Double jgrad;
        final Double torch;
        final Double numpy;
        final String against;

        Row(String workload, String threads, String unit, boolean higherIsBetter, Double jgrad, Double torch, Double numpy,
            String against) {
            this.workload = workload;
            this.threads = threads;
            this.unit = unit;
            this.higherIsBetter = higherIsBetter;
            this.jgrad = jgrad;
            this.torch = torch;
            this.numpy = numpy;
            this.against = against;
        }

        Double reference() {
            return "NumPy".equals(against) ? numpy : torch;
        }

        /** jgrad's advantage: throughput ratio, or time ratio inverted; > 1 means jgrad is faster. */
        Double ratio() {
            Double ref = reference();
            if (jgrad == null || ref == null || jgrad == 0 || ref == 0) {
                return null;
            }
            return higherIsBetter ? jgrad / ref : ref / jgrad;
        }
    }

    private boolean enabled(String name) {
        return only == null || only.isEmpty() || only.contains(name);
    }

    public void run() throws IOException {
        if (python != null) {
            try {
                py = PythonSide.start(python, Map.of());
                String core = openBlasCoreToForce(py, cpuFlags(cpu));
                if (core != null) {
                    py.close();
                    py = PythonSide.start(python, Map.of("OPENBLAS_CORETYPE", core));
                    notes.add("OpenBLAS did not recognise this CPU and chose its generic Prescott kernel; the PyTorch side "
                            + "runs with OPENBLAS_CORETYPE=" + core + ", OpenBLAS's kernel for this CPU's instruction set");
                }
            } catch (IOException e) {
                notes.add("PyTorch side not run: " + e.getMessage());
            }
        }
        try {
            describeMachine();
            printMachine();
            if (enabled("seed")) {
                training("seed network step (2-3-2-1, BCE, Adam, batch 2)", "seed", Workloads.seedStep(), Map.of());
            }
            if (enabled("mlp64")) {
                training("MLP 784-256-128-10 step, batch 64, Adam", "mlp", Workloads.mlpStep(64), Map.of("batch", 64));
            }
            if (enabled("mlp256")) {
                training("MLP 784-256-128-10 step, batch 256, Adam", "mlp", Workloads.mlpStep(256), Map.of("batch", 256));
            }
            if (enabled("fmnist")) {
                fashionMnist();
            }
            if (enabled("sgemm")) {
                for (int n : quick ? new int[] {128, 512} : new int[] {128, 512, 1024, 2048}) {
                    sgemm(n);
                }
            }
            if (enabled("memory")) {
                memory();
            }
        } finally {
            if (py != null) {
                py.close();
            }
        }
        printTable();
    }

    // ------------------------------------------------------------------ workloads

    private Map<String, Object> cmd(String op, int threads, Map<String, Object> extra) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("op", op);
        c.put("threads", threads);
        c.putAll(extra);
        return c;
    }

    private double torchRate(String op, int threads, double seconds, Map<String, Object> extra) throws IOException {
        Map<String, Object> c = cmd(op, threads, extra);
        c.put("seconds", seconds);
        Map<String, Object> r = py.call(c);
        return ((Number) r.get("steps")).doubleValue() / ((Number) r.get("seconds")).doubleValue();
    }

    /**
     * Warm-up: at least the warm-up time; the first time for a workload, until two consecutive
     * windows agree within 5% (the JIT has finished compiling the step), at most 10 windows.
     */
    private void warmUp(Runnable step, boolean first) {
        if (!first) {
            Workloads.runFor(warmSeconds, step);
            return;
        }
        double window = quick ? 0.1 : 0.5;
        double prev = rate(Workloads.runFor(window, step));
        int limit = quick ? 2 : 10;
        for (int i = 1; i < limit; i++) {
            double now = rate(Workloads.runFor(window, step));
            if (Math.abs(now - prev) <= 0.05 * Math.max(now, prev) && i * window >= firstWarmSeconds) {
                return;
            }
            prev = now;
        }
    }

    /**
     * A measured jgrad sample, after a short unmeasured run of the same step: PyTorch's OpenMP and
     * OpenBLAS threads spin for a while after its sample, and would otherwise take a core from
     * the start of jgrad's (the other way round, jgrad's workers park within 50 µs).
     */
    private Workloads.Sample jgradSample(Runnable step) {
        if (py != null) {
            Workloads.runFor(quick ? 0.02 : 0.15, step);
        }
        return Workloads.runFor(sampleSeconds, step);
    }

    private static double rate(Workloads.Sample s) {
        return s.steps / s.seconds;
    }

    /** Steps per second of a training step on both sides, 1 and 2 threads, and each side's best. */
    private void training(String name, String op, Runnable step, Map<String, Object> extra) throws IOException {
        double[] bestJ = {0};
        double[] bestT = {0};
        for (int t = 1; t <= 2; t++) {
            Jgrad.setNumThreads(t);
            // the first warm-up is long: the JIT compiles the whole step (C2) before anything is timed
            warmUp(step, t == 1);
            if (py != null) {
                torchRate(op, t, warmSeconds, extra);
            }
            double[] j = new double[rounds];
            double[] p = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0 || py == null) {
                    j[r] = rate(jgradSample(step));
                    p[r] = py == null ? 0 : torchRate(op, t, sampleSeconds, extra);
                } else {
                    p[r] = torchRate(op, t, sampleSeconds, extra);
                    j[r] = rate(jgradSample(step));
                }
            }
            double mj = median(j);
            Double mp = py == null ? null : median(p);
            bestJ[0] = Math.max(bestJ[0], mj);
            bestT[0] = mp == null ? 0 : Math.max(bestT[0], mp);
            add(new Row(name, String.valueOf(t), "steps/s", true, mj, mp, null, "PyTorch"));
        }
        add(new Row(name, "best of 1, 2", "steps/s", true, bestJ[0], py == null ? null : bestT[0], null, "PyTorch"));
    }

    private void fashionMnist() throws IOException {
        String name = "Fashion-MNIST epoch, MLP, batch 128, Adam";
        if (!Files.isRegularFile(data.resolve("train-images-idx3-ubyte.gz"))) {
            notes.add("Fashion-MNIST skipped: no " + data.resolve("train-images-idx3-ubyte.gz")
                    + " (apt-get install dataset-fashion-mnist)");
            return;
        }
        Workloads.FashionMnist fm = new Workloads.FashionMnist(data);
        int total = fm.batchesPerEpoch();
        int fmRounds = quick ? 1 : Math.min(rounds, 3);
        double bestJ = Double.MAX_VALUE;
        double bestT = Double.MAX_VALUE;
        for (int t = 1; t <= 2; t++) {
            // a whole epoch at 1 thread; at 2 threads the first 150 batches, scaled to an epoch
            // (PyTorch can be an order of magnitude slower with 2 threads on 2 cores)
            int batches = quick ? 10 : t == 1 ? 0 : 150;
            int counted = batches == 0 ? total : batches;
            Jgrad.setNumThreads(t);
            fm.train(quick ? 3 : t == 1 ? 100 : 30);
            if (py != null) {
                fmnistTorch(t, quick ? 3 : 30);
            }
            double[] j = new double[fmRounds];
            double[] p = new double[fmRounds];
            for (int r = 0; r < fmRounds; r++) {
                if (py != null) {
                    fm.train(quick ? 1 : 40); // unmeasured: lets the other side's threads go idle
                }
                long t0 = System.nanoTime();
                double loss = fm.train(batches);
                j[r] = (System.nanoTime() - t0) / 1e9 * total / counted;
                if (!Double.isFinite(loss)) {
                    notes.add("Fashion-MNIST: jgrad's loss is " + loss);
                }
                p[r] = py == null ? 0 : fmnistTorch(t, batches) * total / counted;
            }
            double mj = median(j);
            Double mp = py == null ? null : median(p);
            bestJ = Math.min(bestJ, mj);
            bestT = mp == null ? bestT : Math.min(bestT, mp);
            add(new Row(name + (batches > 0 ? " (" + batches + " batches, scaled)" : ""), String.valueOf(t), "s/epoch",
                    false, mj, mp, null, "PyTorch"));
        }
        add(new Row(name, "best of 1, 2", "s/epoch", false, bestJ,
                py == null ? null : bestT, null, "PyTorch"));
    }

    private double fmnistTorch(int threads, int batches) throws IOException {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("dir", data.toString());
        extra.put("batches", batches);
        Map<String, Object> r = py.call(cmd("fmnist", threads, extra));
        return ((Number) r.get("seconds")).doubleValue();
    }

    private void sgemm(int n) throws IOException {
        Runnable mm = Workloads.sgemm(n);
        double flops = 2.0 * n * n * n;
        for (int t = 1; t <= 2; t++) {
            Jgrad.setNumThreads(t);
            warmUp(mm, t == 1);
            if (py != null) {
                torchRate("sgemm", t, warmSeconds, Map.of("impl", "numpy", "n", n));
                torchRate("sgemm", t, warmSeconds, Map.of("impl", "torch", "n", n));
            }
            double[] j = new double[rounds];
            double[] np = new double[rounds];
            double[] pt = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 1 && py != null) {
                    np[r] = torchRate("sgemm", t, sampleSeconds, Map.of("impl", "numpy", "n", n)) * flops / 1e9;
                    pt[r] = torchRate("sgemm", t, sampleSeconds, Map.of("impl", "torch", "n", n)) * flops / 1e9;
                }
                j[r] = rate(jgradSample(mm)) * flops / 1e9;
                if (r % 2 == 0 && py != null) {
                    np[r] = torchRate("sgemm", t, sampleSeconds, Map.of("impl", "numpy", "n", n)) * flops / 1e9;
                    pt[r] = torchRate("sgemm", t, sampleSeconds, Map.of("impl", "torch", "n", n)) * flops / 1e9;
                }
            }
            add(new Row("SGEMM N = " + n, String.valueOf(t), "GFLOP/s", true, median(j), py == null ? null : median(pt),
                    py == null ? null : median(np), "NumPy"));
        }
    }

    /** Bytes allocated per step in an early and a late window (constant: no garbage that grows), and peak RSS. */
    private void memory() throws IOException {
        Jgrad.setNumThreads(1);
        memory.put("seed step, bytes allocated per step (steps 1001-2000, 9001-10000)",
                allocationWindows(Workloads.seedStep(), 1000, 10000));
        memory.put("MLP batch 64 step, bytes allocated per step (steps 21-40, 101-120)",
                allocationWindows(Workloads.mlpStep(64), 20, 120));
        memory.put("jgrad peak RSS, MiB (whole run)", peakRssKib() / 1024);
        if (py != null) {
            Map<String, Object> r = py.call(Map.of("op", "rss"));
            memory.put("PyTorch process peak RSS, MiB (whole run)", ((Number) r.get("max_rss_kib")).longValue() / 1024);
        }
    }

    private static long[] allocationWindows(Runnable step, int window, int total) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < window; i++) {
            step.run();
        }
        long a0 = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < window; i++) {
            step.run();
        }
        long early = (mx.getThreadAllocatedBytes(id) - a0) / window;
        for (int i = 2 * window; i < total - window; i++) {
            step.run();
        }
        long b0 = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < window; i++) {
            step.run();
        }
        long late = (mx.getThreadAllocatedBytes(id) - b0) / window;
        return new long[] {early, late};
    }

    private static long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    // ------------------------------------------------------------------ output

    private void add(Row row) {
        rows.add(row);
        out.println("  " + format(row));
        out.flush();
    }

    private static String fmt(Double v) {
        if (v == null) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String ratioText(Row r) {
        Double ratio = r.ratio();
        if (ratio == null) {
            return "n/a";
        }
        if ("NumPy".equals(r.against)) {
            return String.format(Locale.ROOT, "%.0f%% of OpenBLAS", 100 * ratio);
        }
        return (ratio >= 10 ? String.format(Locale.ROOT, "%.0f×", ratio) : String.format(Locale.ROOT, "%.2f×", ratio));
    }

    private static String format(Row r) {
        return "| " + r.workload + " | " + r.threads + " | " + fmt(r.jgrad) + " | " + fmt(r.torch) + " | "
                + (r.numpy == null ? "" : fmt(r.numpy)) + " | " + ratioText(r) + " | " + r.unit + " |";
    }

    private void describeMachine() throws IOException {
        machine.put("cpu", cpuModel(cpu));
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", GC: "
                + java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(java.lang.management.GarbageCollectorMXBean::getName).collect(java.util.stream.Collectors.joining(", ")));
        machine.put("jgrad matrix kernels", Gemm.describe());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        if (py != null) {
            Map<String, Object> info = py.call(Map.of("op", "info"));
            machine.put("python", info.get("python"));
            machine.put("pytorch", info.get("torch"));
            machine.put("numpy", info.get("numpy"));
            machine.put("pytorch BLAS", info.get("torch_blas_info"));
            machine.put("BLAS libraries loaded", info.get("blas"));
            machine.put("OpenBLAS", info.get("openblas_config") + (info.get("openblas_core") == null ? ""
                    : ", core " + info.get("openblas_core")));
            if (info.get("openblas_coretype_env") != null) {
                machine.put("OPENBLAS_CORETYPE", info.get("openblas_coretype_env"));
            }
        }
        machine.put("mode", (quick ? "quick (smoke run, not for comparison)" : "full") + ", " + rounds + " round(s), samples of "
                + sampleSeconds + " s");
    }

    /**
     * The OpenBLAS core type to ask for when OpenBLAS fell back to its generic Prescott kernel on a
     * CPU with AVX2 or AVX-512 (an OpenBLAS older than the CPU, such as Debian 12's 0.3.21 on
     * Emerald Rapids: a third of its speed), unless the user chose one; null when nothing to force.
     */
    static String openBlasCoreToForce(PythonSide py, java.util.Set<String> flags) throws IOException {
        Map<String, Object> info = py.call(Map.of("op", "info"));
        if (!"Prescott".equalsIgnoreCase(String.valueOf(info.get("openblas_core"))) || info.get("openblas_coretype_env") != null) {
            return null;
        }
        return coreFor(flags);
    }

    /** OpenBLAS's kernel family for a CPU with these /proc/cpuinfo flags, or null for none better than Prescott. */
    static String coreFor(java.util.Set<String> flags) {
        if (flags.contains("avx512f")) {
            return flags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX";
        }
        return flags.contains("avx2") && flags.contains("fma") ? "Haswell" : null;
    }

    /** /proc/cpuinfo's fields, the first value of each (the first CPU's); empty when unreadable. */
    private static Map<String, String> cpuInfo() {
        Map<String, String> info = new java.util.HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    info.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
        } catch (IOException e) {
            // none
        }
        return info;
    }

    /** The CPU's flags (empty when unknown). */
    private static java.util.Set<String> cpuFlags(Map<String, String> cpu) {
        String flags = cpu.get("flags");
        return flags == null ? java.util.Set.of() : new java.util.HashSet<>(Arrays.asList(flags.split(" ")));
    }

    private static String cpuModel(Map<String, String> cpu) {
        if (cpu.get("model name") == null) {
            return System.getProperty("os.arch");
        }
        java.util.Set<String> flags = cpuFlags(cpu);
        return cpu.get("model name") + " (family " + cpu.get("cpu family") + ", model " + cpu.get("model") + ")"
                + (flags.contains("avx512f") ? ", AVX-512" : flags.contains("avx2") ? ", AVX2" : "");
    }

    private void printMachine() {
        out.println("jgrad bench" + (quick ? " --quick" : ""));
        for (Map.Entry<String, Object> e : machine.entrySet()) {
            out.println("  " + e.getKey() + ": " + e.getValue());
        }
        out.println();
        out.println("  (rows as they finish)");
        out.flush();
    }

    private void printTable() {
        out.println();
        out.println("| workload | threads | jgrad | PyTorch | NumPy (OpenBLAS) | jgrad vs reference | unit |");
        out.println("|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            out.println(format(r));
        }
        if (!memory.isEmpty()) {
            out.println();
            for (Map.Entry<String, Object> e : memory.entrySet()) {
                Object v = e.getValue();
                out.println("- " + e.getKey() + ": " + (v instanceof long[] ? Arrays.toString((long[]) v) : v));
            }
        }
        for (String n : notes) {
            out.println("note: " + n);
        }
        out.flush();
    }

    public void writeJson(Path file) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("machine", machine);
        List<Object> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workload", r.workload);
            m.put("threads", r.threads);
            m.put("unit", r.unit);
            m.put("higher_is_better", r.higherIsBetter);
            m.put("jgrad", r.jgrad);
            m.put("pytorch", r.torch);
            m.put("numpy_openblas", r.numpy);
            m.put("reference", "NumPy".equals(r.against) ? "numpy_openblas" : "pytorch");
            m.put("jgrad_advantage", r.ratio());
            list.add(m);
        }
        doc.put("rows", list);
        Map<String, Object> mem = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : memory.entrySet()) {
            Object v = e.getValue();
            if (v instanceof long[]) {
                List<Object> l = new ArrayList<>();
                for (long x : (long[]) v) {
                    l.add(x);
                }
                v = l;
            }
            mem.put(e.getKey(), v);
        }
        doc.put("memory", mem);
        doc.put("notes", notes);
        Files.writeString(file, Json.write(doc) + "\n");
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
