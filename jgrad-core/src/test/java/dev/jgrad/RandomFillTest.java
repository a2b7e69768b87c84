package dev.jgrad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Random fills: PyTorch's argument checks and messages, in-place rules, and state save/restore. */
class RandomFillTest {
    @Test
    void rejectsBadArgumentsWithPyTorchsMessages() {
        Generator g = new Generator(0);
        assertThatThrownBy(() -> Jgrad.zeros(3).normal_(0, -2.5e-5, g))
                .hasMessage("normal expects std >= 0.0, but found std -2.5e-05");
        assertThatThrownBy(() -> Jgrad.zeros(3).uniform_(0.1, 1e-7, g))
                .hasMessage("uniform_ expects to return a [from, to) range, but found from=0.1 > to=1e-07");
        assertThatThrownBy(() -> Jgrad.zeros(3).uniform_(5, -5, g))
                .hasMessage("uniform_ expects to return a [from, to) range, but found from=5 > to=-5");
        assertThatThrownBy(() -> Jgrad.zeros(3).uniform_(-3e38, 3e38, g))
                .hasMessage("uniform_ expects to-from <= std::numeric_limits<Float>::max(), but found to=3e+38 and from=-3e+38 "
                        + "which result in to-from to exceed the limit");
        assertThatThrownBy(() -> Jgrad.zeros(3).uniform_(-1e39, 0, g)).hasMessage("from is out of bounds for float");
        assertThatThrownBy(() -> Jgrad.zeros(3).uniform_(Double.NaN, 1, g)).hasMessage("from is out of bounds for float");
        assertThatThrownBy(() -> Jgrad.zeros(DType.FLOAT64, 3).uniform_(0, Double.POSITIVE_INFINITY, g))
                .hasMessage("to is out of bounds for double");
        assertThatThrownBy(() -> Jgrad.zeros(3).normal_(0, Double.NaN, g)).hasMessage("normal expects std >= 0.0, but found std nan");
        assertThatThrownBy(() -> Jgrad.zeros(3).bernoulli_(1.5, g))
                .hasMessage("bernoulli_ expects p to be in [0, 1], but got p=1.5");
        assertThatThrownBy(() -> Jgrad.zeros(DType.INT64, 3).normal_(0, 1, g))
                .hasMessage("\"normal_kernel_cpu\" not implemented for 'Long'");
        assertThatThrownBy(() -> Jgrad.zeros(DType.INT64, 3).uniform_(0, 1, g))
                .hasMessage("\"check_uniform_bounds\" not implemented for 'Long'");
        assertThatThrownBy(() -> Jgrad.randint(g, 5, 5, 3))
                .hasMessage("random_ expects 'from' to be less than 'to', but got from=5 >= to=5");
        assertThatThrownBy(() -> Jgrad.bernoulli(Jgrad.tensor(new double[] {0.5, 2.0}), g))
                .hasMessageStartingWith("Expected p_in >= 0 && p_in <= 1 to be true");
        assertThatThrownBy(() -> Jgrad.zeros(1).expand(3).normal_(0, 1, g))
                .hasMessageStartingWith("unsupported operation: more than one element of the written-to tensor");
    }

    @Test
    void argumentErrorsDoNotAdvanceTheGenerator() {
        Generator g = new Generator(3);
        byte[] before = g.getState();
        assertThatThrownBy(() -> Jgrad.zeros(20).normal_(0, -1, g)).isInstanceOf(IllegalArgumentException.class);
        assertThat(g.getState()).isEqualTo(before);
    }

    @Test
    void fillsAreInPlaceWritesWithoutRecording() {
        Generator g = new Generator(1);
        Tensor w = Jgrad.zeros(4, 5).requiresGrad_(true);
        assertThatThrownBy(() -> w.normal_(0, 1, g))
                .hasMessage("a leaf Variable that requires grad is being used in an in-place operation.");
        Tensor y = w.mul(2);
        assertThatThrownBy(() -> y.uniform_(0, 1, g)).isInstanceOf(UnsupportedOperationException.class);

        int version = w.storageVersion();
        try (var s = Jgrad.noGrad()) {
            w.normal_(0, 1, g);
        }
        assertThat(w.storageVersion()).isGreaterThan(version);
        assertThat(w.gradFn()).isNull();
        assertThat(w.isLeaf()).isTrue();
        assertThat(w.toDoubleArray()).doesNotContain(0.0);
    }

    @Test
    void stateRoundTripsIncludingTheCachedNormal() {
        Generator g = new Generator(42);
        Jgrad.randn(g, DType.FLOAT64, 3); // leaves one normal cached
        byte[] saved = g.getState();
        assertThat(saved).hasSize(Generator.STATE_SIZE);
        Tensor first = Jgrad.randn(g, DType.FLOAT64, 5);
        Tensor firstUniform = Jgrad.rand(g, 7);

        g.manualSeed(0);
        Jgrad.randn(g, 100);
        g.setState(saved);
        assertThat(Jgrad.randn(g, DType.FLOAT64, 5).toDoubleArray()).isEqualTo(first.toDoubleArray());
        assertThat(Jgrad.rand(g, 7).toDoubleArray()).isEqualTo(firstUniform.toDoubleArray());
    }

    @Test
    void manualSeedClearsTheCachedNormal() {
        Generator g = new Generator(7);
        double a = g.normalDouble();
        g.manualSeed(7);
        assertThat(g.normalDouble()).isEqualTo(a);
    }

    @Test
    void rejectsMalformedStates() {
        Generator g = new Generator();
        assertThatThrownBy(() -> g.setState(new byte[10]))
                .hasMessage("Expected either a CPUGeneratorImplStateLegacy of size 5048 or a CPUGeneratorImplState of size 5056 "
                        + "but found the input RNG state size to be 10");
        assertThatThrownBy(() -> g.setState(new byte[Generator.STATE_SIZE])).hasMessage("Invalid mt19937 state");
    }

    @Test
    void randomInt64IsNonNegativeAndUsesTwoDraws() {
        Generator a = new Generator(5);
        Generator b = new Generator(5);
        long v = a.randomInt64();
        assertThat(v).isEqualTo(b.random64() & Long.MAX_VALUE).isNotNegative();
        assertThat(a.random()).isEqualTo(b.random());
    }

    @Test
    void randpermOfZeroAndOne() {
        assertThat(Jgrad.randperm(0, new Generator(1)).numel()).isZero();
        assertThat(Jgrad.randperm(1, new Generator(1)).toLongArray()).containsExactly(0L);
        assertThatThrownBy(() -> Jgrad.randperm(-1, new Generator(1)))
                .hasMessage("Trying to create tensor with negative dimension -1: [-1]");
    }
}
