package dev.jgrad.bench;

import dev.jgrad.DType;
import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Sigmoid;
import dev.jgrad.optim.Adam;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole training steps (forward, loss, backward, Adam). Run with {@code -prof gc} to see the
 * bytes allocated per step ({@code gc.alloc.rate.norm}): constant from step to step.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class StepBenchmarks {

    @State(Scope.Benchmark)
    public static class Seed {
        Sequential net;
        Tensor x;
        Tensor y;
        Adam opt;

        @Setup(Level.Trial)
        public void setUp() {
            Generator g = new Generator(0);
            net = new Sequential(new Linear(2, 3, true, g), new ReLU(), new Linear(3, 2, true, g), new ReLU(),
                    new Linear(2, 1, true, g), new Sigmoid());
            x = Jgrad.tensor(new double[][] {{0.5, 0.2}, {0.1, 0.9}}, DType.FLOAT32);
            y = Jgrad.tensor(new double[][] {{1.0}, {0.0}}, DType.FLOAT32);
            opt = new Adam(net.parameters(), 0.01);
        }
    }

    /** The seed network's step: the per-op overhead of the whole library. */
    @Benchmark
    public void seedStep(Seed s) {
        s.opt.zeroGrad();
        Tensor loss = F.binaryCrossEntropy(s.net.forward(s.x), s.y);
        loss.backward();
        s.opt.step();
    }

    @State(Scope.Benchmark)
    public static class Mlp {
        @Param({"64", "256"})
        public int batch;

        @Param({"1", "2"})
        public int threads;

        Sequential net;
        Tensor x;
        Tensor y;
        Adam opt;

        @Setup(Level.Trial)
        public void setUp() {
            Jgrad.setNumThreads(threads);
            Generator g = new Generator(1);
            net = new Sequential(new Linear(784, 256, true, g), new ReLU(), new Linear(256, 128, true, g), new ReLU(),
                    new Linear(128, 10, true, g));
            x = Jgrad.randn(g, batch, 784);
            y = Jgrad.randint(g, 0, 10, batch);
            opt = new Adam(net.parameters(), 1e-3);
        }
    }

    /** The 784-256-128-10 MLP's step. */
    @Benchmark
    public void mlpStep(Mlp s) {
        s.opt.zeroGrad();
        Tensor loss = F.crossEntropy(s.net.forward(s.x), s.y);
        loss.backward();
        s.opt.step();
    }
}
