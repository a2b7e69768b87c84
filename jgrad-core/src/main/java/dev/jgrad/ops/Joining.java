package dev.jgrad.ops;

import static dev.jgrad.autograd.Graph.record;
import static dev.jgrad.autograd.Graph.saved;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.kernel.Kernels;
import dev.jgrad.storage.Shapes;
import java.util.ArrayList;
import java.util.List;

/** Joining and splitting: cat, stack, split, chunk. */
public final class Joining {
    private Joining() {
    }

    /** Concatenates along {@code dim}; all other sizes must match. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors");
        }
        Tensor first = tensors.get(0);
        int d = Shapes.wrapDim(dim, first.dim());
        if (first.dim() == 0) {
            throw new IllegalArgumentException("zero-dimensional tensor (at position 0) cannot be concatenated");
        }
        DType dtype = first.dtype();
        int total = 0;
        int[] sizes = new int[tensors.size()];
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.dim() != first.dim()) {
                throw new IllegalArgumentException("Tensors must have same number of dimensions: got " + first.dim() + " and " + t.dim());
            }
            for (int a = 0; a < t.dim(); a++) {
                if (a != d && t.size(a) != first.size(a)) {
                    throw new IllegalArgumentException("Sizes of tensors must match except in dimension " + d + ". Expected size "
                            + first.size(a) + " but got size " + t.size(a) + " for tensor number " + i + " in the list.");
                }
            }
            dtype = DType.promote(dtype, t.dtype());
            sizes[i] = t.size(d);
            total += sizes[i];
        }
        int[] shape = first.shape();
        shape[d] = total;
        Tensor out = Tensor.empty(dtype, shape);
        int at = 0;
        for (int i = 0; i < tensors.size(); i++) {
            Kernels.copyInto(out.narrowView(d, at, sizes[i]), tensors.get(i));
            at += sizes[i];
        }
        return record(out, "CatBackward0", "each input gets its slice of the gradient",
                tensors.toArray(new Tensor[0]), saved(), (g, s) -> {
                    Tensor[] grads = new Tensor[sizes.length];
                    int start = 0;
                    for (int i = 0; i < sizes.length; i++) {
                        grads[i] = g.narrow(d, start, sizes[i]);
                        start += sizes[i];
                    }
                    return grads;
                });
    }

    /** Stacks equally shaped tensors along a new dimension {@code dim}. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack expects a non-empty TensorList");
        }
        int d = Shapes.wrapDim(dim, tensors.get(0).dim() + 1);
        List<Tensor> parts = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (!java.util.Arrays.equals(t.shape(), tensors.get(0).shape())) {
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got " + Shapes.format(tensors.get(0).shape())
                        + " at entry 0 and " + Shapes.format(t.shape()) + " at entry " + i);
            }
            parts.add(t.detach().unsqueeze(d));
        }
        Tensor y = cat(parts, d);
        // one StackBackward0 node, as PyTorch: input i gets the gradient's slice i along d
        Tensor[] inputs = tensors.toArray(new Tensor[0]);
        return record(y, "StackBackward0", "each input gets its slice of the gradient",
                inputs, saved(), (g, s) -> {
                    Tensor[] grads = new Tensor[inputs.length];
                    for (int i = 0; i < grads.length; i++) {
                        grads[i] = g.select(d, i);
                    }
                    return grads;
                });
    }

    /** Pieces of {@code splitSize} along {@code dim} (the last may be smaller). */
    public static List<Tensor> split(Tensor x, int splitSize, int dim) {
        int d = Shapes.wrapDim(dim, x.dim());
        if (splitSize <= 0) {
            throw new IllegalArgumentException("split expects split_size be non-negative, but got split_size=" + splitSize);
        }
        List<Tensor> out = new ArrayList<>();
        int size = x.size(d);
        for (int start = 0; start < size || (size == 0 && out.isEmpty()); start += splitSize) {
            out.add(Views.narrow(x, d, start, Math.min(splitSize, size - start), "SplitBackward0"));
            if (size == 0) {
                break;
            }
        }
        return out;
    }

    /** Pieces with the given sizes along {@code dim}; the sizes must add up to the dimension. */
    public static List<Tensor> splitWithSizes(Tensor x, int[] sizes, int dim) {
        int d = Shapes.wrapDim(dim, x.dim());
        int sum = 0;
        for (int s : sizes) {
            sum += s;
        }
        if (sum != x.size(d)) {
            throw new IllegalArgumentException("split_with_sizes expects split_sizes to sum exactly to " + x.size(d)
                    + " (input tensor's size at dimension " + d + "), but got split_sizes=" + Shapes.format(sizes));
        }
        List<Tensor> out = new ArrayList<>();
        int start = 0;
        for (int s : sizes) {
            out.add(Views.narrow(x, d, start, s, "SplitWithSizesBackward0"));
            start += s;
        }
        return out;
    }

    /** {@code chunks} pieces of size ceil(n / chunks) along {@code dim}. */
    public static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks);
        }
        int d = Shapes.wrapDim(dim, x.dim());
        int size = x.size(d);
        int each = (size + chunks - 1) / chunks;
        return split(x, Math.max(each, 1), d);
    }
}
