package dev.jgrad.data;

import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A map-style data set, as {@code torch.utils.data.Dataset}: {@link #size()} examples, each a
 * list of tensors (for example features and target) without a batch dimension.
 * <pre>{@code
 * Dataset ds = new TensorDataset(x, y);
 * List<Tensor> first = ds.get(0);          // [x[0], y[0]]
 * }</pre>
 */
public interface Dataset {
    /** The number of examples ({@code len(dataset)}). */
    int size();

    /** Example {@code index} ({@code dataset[index]}). */
    List<Tensor> get(int index);

    /**
     * The examples at {@code indices}, each of their tensors stacked along a new first dimension
     * as PyTorch's default {@code collate_fn} stacks them. Implementations may do this faster.
     */
    default List<Tensor> batch(long[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one example");
        }
        List<List<Tensor>> examples = new ArrayList<>(indices.length);
        for (long i : indices) {
            examples.add(get(Math.toIntExact(i)));
        }
        List<Tensor> out = new ArrayList<>();
        for (int k = 0; k < examples.get(0).size(); k++) {
            List<Tensor> column = new ArrayList<>(indices.length);
            for (List<Tensor> e : examples) {
                column.add(e.get(k));
            }
            out.add(Jgrad.stack(column, 0));
        }
        return out;
    }

    /** Checks {@code index} against {@code size} as Python sequences do (no negative indices). */
    static int checkIndex(int index, int size) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range for a data set of " + size + " examples");
        }
        return index;
    }
}
