package dev.jgrad.cli;

import dev.jgrad.Jgrad;
import dev.jgrad.cli.bench.Bench;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jgrad bench}: jgrad against PyTorch on the same workloads, in the same run, alternating. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks jgrad against PyTorch in the same run: the seed network's training step, a "
                + "784-256-128-10 MLP step (batch 64 and 256), a Fashion-MNIST epoch (when the Debian package "
                + "dataset-fashion-mnist is installed), SGEMM (against NumPy/OpenBLAS and torch.mm), memory.",
                "Samples alternate between the two sides, run back to back after a warm-up; the table shows medians "
                + "and the ratio per row. PyTorch runs in " + "/usr/bin/python3 (--python) when it has torch; "
                + "otherwise only jgrad's column is filled."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "A smoke run (well under a minute): short samples, one round, "
            + "fewer sizes. Its numbers are not for comparison.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the table and the machine as JSON to FILE.")
    Path json;

    @Option(names = "--no-torch", description = "Run jgrad's side only.")
    boolean noTorch;

    @Option(names = "--python", paramLabel = "PATH", defaultValue = "/usr/bin/python3",
            description = "The Python with torch and numpy (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--rounds", paramLabel = "N", description = "Samples per side and row (default 5, 1 with --quick).")
    Integer rounds;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "Fashion-MNIST's IDX files (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--only", paramLabel = "NAMES", split = ",",
            description = "Run only these workloads: seed, mlp64, mlp256, fmnist, sgemm, memory.")
    java.util.List<String> only;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int threadsBefore = Jgrad.getNumThreads();
        try {
            Bench bench = new Bench(quick, rounds, noTorch ? null : python, data, only, out);
            bench.run();
            if (json != null) {
                bench.writeJson(json);
                out.println("wrote " + json);
            }
        } finally {
            Jgrad.setNumThreads(threadsBefore);
        }
        out.flush();
        return 0;
    }
}
