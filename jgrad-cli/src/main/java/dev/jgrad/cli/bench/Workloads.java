package dev.jgrad.cli.bench;

import dev.jgrad.DType;
import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.GradMode;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Sigmoid;
import dev.jgrad.optim.Adam;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The jgrad side of {@code jgrad bench}: the same workloads as {@code bench_torch.py}, each a
 * step that is run back to back for a time budget.
 */
public final class Workloads {
    private Workloads() {
    }

    /** Runs {@code step} back to back until {@code seconds} have passed (at least once). */
    public static Sample runFor(double seconds, Runnable step) {
        long budget = (long) (seconds * 1e9);
        long t0 = System.nanoTime();
        int n = 0;
        long elapsed;
        do {
            step.run();
            n++;
            elapsed = System.nanoTime() - t0;
        } while (elapsed < budget);
        return new Sample(n, elapsed / 1e9);
    }

    /** Work done and the time it took. */
    public static final class Sample {
        public final int steps;
        public final double seconds;

        public Sample(int steps, double seconds) {
            this.steps = steps;
            this.seconds = seconds;
        }
    }

    /** The seed network 2-3-2-1 (ReLU, ReLU, Sigmoid), BCE, Adam(0.01), the notebook's batch of 2. */
    public static Runnable seedStep() {
        Generator g = new Generator(0);
        Sequential net = new Sequential(new Linear(2, 3, true, g), new ReLU(), new Linear(3, 2, true, g), new ReLU(),
                new Linear(2, 1, true, g), new Sigmoid());
        Tensor x = Jgrad.tensor(new double[][] {{0.5, 0.2}, {0.1, 0.9}}, DType.FLOAT32);
        Tensor y = Jgrad.tensor(new double[][] {{1.0}, {0.0}}, DType.FLOAT32);
        Adam opt = new Adam(net.parameters(), 0.01);
        return () -> {
            opt.zeroGrad();
            Tensor loss = F.binaryCrossEntropy(net.forward(x), y);
            loss.backward();
            opt.step();
        };
    }

    /** The 784-256-128-10 ReLU MLP of the bench. */
    public static Sequential mlp(Generator g) {
        return new Sequential(new Linear(784, 256, true, g), new ReLU(), new Linear(256, 128, true, g), new ReLU(),
                new Linear(128, 10, true, g));
    }

    /** One training step of the MLP on a fixed random batch: cross-entropy, Adam(1e-3). */
    public static Runnable mlpStep(int batch) {
        Generator g = new Generator(1);
        Sequential net = mlp(g);
        Tensor x = Jgrad.randn(g, batch, 784);
        Tensor y = Jgrad.randint(g, 0, 10, batch);
        Adam opt = new Adam(net.parameters(), 1e-3);
        return () -> {
            opt.zeroGrad();
            Tensor loss = F.crossEntropy(net.forward(x), y);
            loss.backward();
            opt.step();
        };
    }

    /** {@code a.mm(b)} of two random n × n float32 matrices, without autograd. */
    public static Runnable sgemm(int n) {
        Generator g = new Generator(n);
        Tensor a = Jgrad.randn(g, n, n);
        Tensor b = Jgrad.randn(g, n, n);
        return () -> {
            try (GradMode.Scope s = GradMode.noGrad()) {
                a.mm(b);
            }
        };
    }

    /** Fashion-MNIST's training set: images [60000, 784] scaled to [0, 1], labels int64. */
    public static final class FashionMnist {
        final Tensor images;
        final Tensor labels;
        final Sequential net;
        final Adam opt;

        public FashionMnist(Path dir) throws IOException {
            byte[] img = readIdx(dir.resolve("train-images-idx3-ubyte.gz"));
            byte[] lab = readIdx(dir.resolve("train-labels-idx1-ubyte.gz"));
            int n = lab.length;
            float[] x = new float[n * 784];
            for (int i = 0; i < x.length; i++) {
                x[i] = (img[i] & 0xFF) / 255.0f;
            }
            long[] y = new long[n];
            for (int i = 0; i < n; i++) {
                y[i] = lab[i] & 0xFF;
            }
            images = Tensor.fromFloats(x, n, 784);
            labels = Tensor.fromLongs(y, n);
            net = mlp(new Generator(1));
            opt = new Adam(net.parameters(), 1e-3);
        }

        /** Trains on the first {@code batches} batches of 128 (0 or more than there are: one epoch); returns the last loss. */
        public double train(int batches) {
            int n = labels.size(0);
            int total = (n + 127) / 128;
            int count = batches > 0 ? Math.min(batches, total) : total;
            double loss = Double.NaN;
            for (int b = 0; b < count; b++) {
                int start = b * 128;
                int len = Math.min(128, n - start);
                Tensor xb = images.narrow(0, start, len);
                Tensor yb = labels.narrow(0, start, len);
                opt.zeroGrad();
                Tensor l = F.crossEntropy(net.forward(xb), yb);
                l.backward();
                opt.step();
                if (b == count - 1) {
                    loss = l.item();
                }
            }
            return loss;
        }

        public int batchesPerEpoch() {
            return (labels.size(0) + 127) / 128;
        }

        private static byte[] readIdx(Path file) throws IOException {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16);
                 DataInputStream d = new DataInputStream(in)) {
                int magic = d.readInt();
                int dims = magic & 0xFF;
                long count = 1;
                for (int i = 0; i < dims; i++) {
                    count *= d.readInt();
                }
                byte[] data = new byte[(int) count];
                d.readFully(data);
                return data;
            }
        }
    }
}
