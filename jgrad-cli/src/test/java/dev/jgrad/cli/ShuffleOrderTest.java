package dev.jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import org.junit.jupiter.api.Test;

/**
 * The DataLoader order against PyTorch 1.13 (values printed by real torch):
 * {@code torch.manual_seed(42); dl = DataLoader(list(range(10)), batch_size=10, shuffle=...)}, two
 * epochs, then {@code torch.rand(1)} to check how much of the global generator was used.
 */
class ShuffleOrderTest {
    @Test
    void int64RandomIsSixtyThreeBitsOfRandom64() {
        // torch.manual_seed(0); [torch.empty((), dtype=torch.int64).random_().item() for _ in range(3)]
        Generator g = new Generator(0);
        assertThat(new long[] {ShuffleOrder.randomInt64(g), ShuffleOrder.randomInt64(g), ShuffleOrder.randomInt64(g)})
                .containsExactly(900450186894289455L, 3969543146641149120L, 1895649597198586619L);
    }

    @Test
    void shuffledEpochsAreTorchs() {
        Generator g = new Generator(42);
        ShuffleOrder order = new ShuffleOrder(g, true);
        assertThat(order.nextEpoch(10)).containsExactly(8, 0, 9, 1, 4, 5, 6, 3, 2, 7);
        assertThat(order.nextEpoch(10)).containsExactly(4, 6, 9, 3, 7, 5, 2, 0, 1, 8);
        assertThat((double) Jgrad.rand(g, 1).toFloatArray()[0]).isEqualTo(0.9407714605331421);
    }

    @Test
    void unshuffledEpochsStillDrawTheBaseSeed() {
        Generator g = new Generator(42);
        ShuffleOrder order = new ShuffleOrder(g, false);
        assertThat(order.nextEpoch(10)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(order.nextEpoch(10)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat((double) Jgrad.rand(g, 1).toFloatArray()[0]).isEqualTo(0.3904482126235962);
    }
}
