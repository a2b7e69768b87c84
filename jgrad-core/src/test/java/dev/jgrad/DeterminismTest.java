package dev.jgrad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.kernel.Gemm;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Parameter;
import dev.jgrad.optim.Adam;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The documented guarantee: the same training run gives byte-identical weights with 1 and 2
 * threads, and from run to run. The network is large enough that its matrix products take the
 * blocked, multi-threaded path.
 */
class DeterminismTest {
    private final int threadsBefore = Jgrad.getNumThreads();

    @AfterEach
    void restore() {
        Jgrad.setNumThreads(threadsBefore);
    }

    private static byte[] train(int threads, DType dtype) throws IOException {
        Jgrad.setNumThreads(threads);
        Generator g = new Generator(5);
        int[] sizes = {784, 256, 64, 10};
        List<Parameter> params = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            params.add(new Parameter(Jgrad.randn(g, sizes[l + 1], sizes[l]).mul(0.05).to(dtype)));
            params.add(new Parameter(Jgrad.randn(g, sizes[l + 1]).mul(0.05).to(dtype)));
        }
        Adam opt = new Adam(params, 1e-3);
        for (int step = 0; step < 4; step++) {
            Tensor h = Jgrad.randn(g, 64, 784).to(dtype);
            Tensor y = Jgrad.randint(g, 0, 10, 64);
            opt.zeroGrad();
            for (int l = 0; l < 3; l++) {
                h = F.linear(h, params.get(2 * l), params.get(2 * l + 1));
                if (l < 2) {
                    h = F.relu(h);
                }
            }
            Tensor loss = F.crossEntropy(h, y);
            loss.backward();
            opt.step();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (Parameter p : params) {
                for (double v : p.toDoubleArray()) {
                    out.writeLong(Double.doubleToRawLongBits(v));
                }
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void oneAndTwoThreadsGiveByteIdenticalWeights() throws IOException {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            byte[] one = train(1, dtype);
            byte[] two = train(2, dtype);
            byte[] twoAgain = train(2, dtype);
            byte[] oneAgain = train(1, dtype);
            assertThat(two).as("2 threads vs 1, " + dtype).isEqualTo(one);
            assertThat(twoAgain).as("2 threads, run to run, " + dtype).isEqualTo(two);
            assertThat(oneAgain).as("1 thread, run to run, " + dtype).isEqualTo(one);
            assertThat(one.length).isEqualTo(8 * (784 * 256 + 256 + 256 * 64 + 64 + 64 * 10 + 10));
        }
    }

    @Test
    void theTrainingRunIsLargeEnoughToUseTheParallelPath() {
        // 64 x 784 @ 784 x 256 (forward) and 256 x 64 @ 64 x 784 (weight gradient): split over threads
        assertThat(64L * 784 * 256).isGreaterThanOrEqualTo(Gemm.parallelWork());
        assertThat(Gemm.describe()).isNotEmpty();
    }
}
