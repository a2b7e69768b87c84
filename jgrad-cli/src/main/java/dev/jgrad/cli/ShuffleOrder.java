package dev.jgrad.cli;

import dev.jgrad.Generator;
import dev.jgrad.Jgrad;

/**
 * The epoch order of PyTorch 1.13's {@code DataLoader(dataset, shuffle=...)} (single process, no
 * explicit generator), drawn from the same generator as the model's initial weights (PyTorch's
 * global one). Creating each epoch's iterator draws a base seed
 * ({@code torch.empty((), dtype=torch.int64).random_()}: 64 random bits modulo 2⁶³); with
 * shuffling, {@code RandomSampler} then draws a second such seed and permutes the rows with
 * {@code torch.randperm(n, generator=torch.Generator().manual_seed(seed))}.
 * <pre>{@code
 * ShuffleOrder order = new ShuffleOrder(generator, true);
 * long[] rows = order.nextEpoch(n);
 * }</pre>
 */
final class ShuffleOrder {
    private final Generator generator;
    private final boolean shuffle;

    ShuffleOrder(Generator generator, boolean shuffle) {
        this.generator = generator;
        this.shuffle = shuffle;
    }

    /** {@code random_()} on an int64 tensor: random64() modulo 2⁶³. */
    static long randomInt64(Generator g) {
        return g.randomInt64();
    }

    /** The row order of the next epoch (draws from the generator as PyTorch does). */
    long[] nextEpoch(int n) {
        if (shuffle) {
            return Jgrad.dataLoaderPermutation(generator, n).toLongArray();
        }
        generator.randomInt64(); // _BaseDataLoaderIter._base_seed: drawn even without shuffling
        return Jgrad.arange(n).toLongArray();
    }
}
