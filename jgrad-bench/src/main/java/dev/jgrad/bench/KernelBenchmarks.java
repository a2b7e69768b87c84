package dev.jgrad.bench;

import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.GradMode;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single kernels through the public API: matrix products (square, and the transposed products of
 * a linear layer's backward) and element-wise ops. Each benchmark runs in its own forked JVM, so
 * JIT profiles of one kernel do not pollute another.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelBenchmarks {

    @State(Scope.Benchmark)
    public static class Square {
        @Param({"128", "512", "1024"})
        public int n;

        @Param({"1", "2"})
        public int threads;

        Tensor a;
        Tensor b;

        @Setup(Level.Trial)
        public void setUp() {
            Jgrad.setNumThreads(threads);
            Generator g = new Generator(n);
            a = Jgrad.randn(g, n, n);
            b = Jgrad.randn(g, n, n);
        }
    }

    /** SGEMM: GFLOP/s = 2n³ / time. */
    @Benchmark
    public Tensor sgemm(Square s) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return s.a.mm(s.b);
        }
    }

    @State(Scope.Benchmark)
    public static class Layer {
        @Param({"64", "256"})
        public int batch;

        Tensor x;
        Tensor w;
        Tensor gy;

        @Setup(Level.Trial)
        public void setUp() {
            Jgrad.setNumThreads(1);
            Generator g = new Generator(3);
            x = Jgrad.randn(g, batch, 784);
            w = Jgrad.randn(g, 256, 784);
            gy = Jgrad.randn(g, batch, 256);
        }
    }

    /** A linear layer's forward product x·Wᵀ (W read transposed in place). */
    @Benchmark
    public Tensor linearForward(Layer s) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return s.x.mm(s.w.t());
        }
    }

    /** The weight gradient Gᵀ·x (G read transposed in place). */
    @Benchmark
    public Tensor linearWeightGrad(Layer s) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return s.gy.t().mm(s.x);
        }
    }

    @State(Scope.Benchmark)
    public static class Elementwise {
        Tensor a;
        Tensor b;
        Tensor row;

        @Setup(Level.Trial)
        public void setUp() {
            Generator g = new Generator(5);
            a = Jgrad.randn(g, 256, 784);
            b = Jgrad.randn(g, 256, 784);
            row = Jgrad.randn(g, 784);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            a = null;
        }
    }

    @Benchmark
    public Tensor add(Elementwise s) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return s.a.add(s.b);
        }
    }

    @Benchmark
    public Tensor addBroadcastRow(Elementwise s) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return s.a.add(s.row);
        }
    }

    @Benchmark
    public Tensor relu(Elementwise s) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return s.a.relu();
        }
    }

    @Benchmark
    public Tensor sumDim0(Elementwise s) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return s.a.sum(0);
        }
    }
}
