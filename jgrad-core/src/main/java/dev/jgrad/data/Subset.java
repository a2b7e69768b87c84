package dev.jgrad.data;

import dev.jgrad.Tensor;
import java.util.List;

/**
 * The examples of another data set at given indices, as {@code torch.utils.data.Subset}.
 * <pre>{@code
 * Subset first100 = new Subset(ds, Jgrad.arange(100).toLongArray());
 * List<Tensor> e = first100.get(0);
 * }</pre>
 */
public final class Subset implements Dataset {
    private final Dataset dataset;
    private final long[] indices;

    public Subset(Dataset dataset, long[] indices) {
        int n = dataset.size();
        for (long i : indices) {
            if (i < 0 || i >= n) {
                throw new IndexOutOfBoundsException("subset index " + i + " is out of range for a data set of " + n + " examples");
            }
        }
        this.dataset = dataset;
        this.indices = indices.clone();
    }

    /** The underlying data set. */
    public Dataset dataset() {
        return dataset;
    }

    /** The indices into the underlying data set (a copy). */
    public long[] indices() {
        return indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public List<Tensor> get(int index) {
        return dataset.get((int) indices[Dataset.checkIndex(index, indices.length)]);
    }

    @Override
    public List<Tensor> batch(long[] idx) {
        long[] mapped = new long[idx.length];
        for (int k = 0; k < idx.length; k++) {
            mapped[k] = indices[Dataset.checkIndex(Math.toIntExact(idx[k]), indices.length)];
        }
        return dataset.batch(mapped);
    }
}
