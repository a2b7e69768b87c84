package dev.jgrad.data;

import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Examples that are rows of tensors, as {@code torch.utils.data.TensorDataset}: example i is
 * {@code [t[i] for t in tensors]}; batches are gathered with one {@code index_select} per tensor.
 * <pre>{@code
 * TensorDataset ds = new TensorDataset(x, y);   // x [N, F], y [N]
 * List<Tensor> b = ds.batch(new long[] {3, 0}); // [x[[3, 0]], y[[3, 0]]]
 * }</pre>
 */
public final class TensorDataset implements Dataset {
    private final List<Tensor> tensors;

    public TensorDataset(Tensor... tensors) {
        this(List.of(tensors));
    }

    public TensorDataset(List<Tensor> tensors) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("TensorDataset needs at least one tensor");
        }
        for (Tensor t : tensors) {
            if (t.dim() == 0) {
                throw new IllegalArgumentException("TensorDataset: a 0-d tensor has no examples to index");
            }
            if (t.shape()[0] != tensors.get(0).shape()[0]) {
                throw new IllegalArgumentException("Size mismatch between tensors: " + t.shapeString() + " and "
                        + tensors.get(0).shapeString() + " differ in the first dimension");
            }
        }
        this.tensors = Collections.unmodifiableList(new ArrayList<>(tensors));
    }

    /** The tensors, in order. */
    public List<Tensor> tensors() {
        return tensors;
    }

    /** Tensor {@code k} (e.g. 0 for the features, 1 for the targets). */
    public Tensor tensor(int k) {
        return tensors.get(k);
    }

    @Override
    public int size() {
        return tensors.get(0).shape()[0];
    }

    @Override
    public List<Tensor> get(int index) {
        Dataset.checkIndex(index, size());
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(t.select(0, index));
        }
        return out;
    }

    @Override
    public List<Tensor> batch(long[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one example");
        }
        int n = size();
        for (long i : indices) {
            if (i < 0 || i >= n) {
                throw new IndexOutOfBoundsException("index " + i + " is out of range for a data set of " + n + " examples");
            }
        }
        Tensor index = Tensor.fromLongs(indices, indices.length);
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(t.indexSelect(0, index));
        }
        return out;
    }
}
