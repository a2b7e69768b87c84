package dev.jgrad.data;

import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Operations on data sets: {@link #randomSplit} as {@code torch.utils.data.random_split}.
 * <pre>{@code
 * List<Subset> parts = Datasets.randomSplit(ds, new double[] {0.8, 0.2}, new Generator(42));
 * Dataset train = parts.get(0), val = parts.get(1);
 * }</pre>
 */
public final class Datasets {
    private Datasets() {
    }

    /**
     * Splits {@code dataset} into non-overlapping subsets of the given lengths, as PyTorch 1.13:
     * {@code indices = torch.randperm(len(dataset), generator=generator)}, then consecutive slices.
     */
    public static List<Subset> randomSplit(Dataset dataset, int[] lengths, Generator generator) {
        long total = 0;
        for (int len : lengths) {
            if (len < 0) {
                throw new IllegalArgumentException("split lengths must not be negative: " + Arrays.toString(lengths));
            }
            total += len;
        }
        if (total != dataset.size()) {
            throw new IllegalArgumentException("Sum of input lengths does not equal the length of the input dataset! ("
                    + total + " != " + dataset.size() + ")");
        }
        long[] perm = Jgrad.randperm((int) total, generator).toLongArray();
        List<Subset> out = new ArrayList<>();
        int offset = 0;
        for (int len : lengths) {
            out.add(new Subset(dataset, Arrays.copyOfRange(perm, offset, offset + len)));
            offset += len;
        }
        return out;
    }

    /** {@link #randomSplit(Dataset, int[], Generator)} drawing from {@link Jgrad#defaultGenerator()}. */
    public static List<Subset> randomSplit(Dataset dataset, int[] lengths) {
        return randomSplit(dataset, lengths, Jgrad.defaultGenerator());
    }

    /**
     * Splits by fractions that sum to 1, as PyTorch 1.13: each length is
     * {@code floor(len(dataset) * fraction)}, and the remainder is handed out one by one to the
     * splits in turn from the first.
     */
    public static List<Subset> randomSplit(Dataset dataset, double[] fractions, Generator generator) {
        return randomSplit(dataset, splitLengths(dataset.size(), fractions), generator);
    }

    /** {@link #randomSplit(Dataset, double[], Generator)} drawing from {@link Jgrad#defaultGenerator()}. */
    public static List<Subset> randomSplit(Dataset dataset, double[] fractions) {
        return randomSplit(dataset, fractions, Jgrad.defaultGenerator());
    }

    /** The lengths that fractions of {@code n} examples give (PyTorch's rule, see {@link #randomSplit(Dataset, double[], Generator)}). */
    public static int[] splitLengths(int n, double[] fractions) {
        double sum = 0;
        for (double f : fractions) {
            sum += f;
        }
        if (!(Math.abs(sum - 1) <= 1e-9 * Math.max(1, Math.abs(sum)) && sum <= 1)) {
            throw new IllegalArgumentException("split fractions must sum to 1, got " + Arrays.toString(fractions));
        }
        int[] lengths = new int[fractions.length];
        int assigned = 0;
        for (int i = 0; i < fractions.length; i++) {
            if (!(fractions[i] >= 0 && fractions[i] <= 1)) {
                throw new IllegalArgumentException("Fraction at index " + i + " is not between 0 and 1");
            }
            lengths[i] = (int) Math.floor(n * fractions[i]);
            assigned += lengths[i];
        }
        for (int i = 0; i < n - assigned; i++) {
            lengths[i % lengths.length]++;
        }
        return lengths;
    }
}
