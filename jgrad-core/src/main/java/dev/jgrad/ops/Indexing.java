package dev.jgrad.ops;

import static dev.jgrad.autograd.Graph.grads;
import static dev.jgrad.autograd.Graph.inputs;
import static dev.jgrad.autograd.Graph.record;
import static dev.jgrad.autograd.Graph.saved;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.kernel.Kernels;
import dev.jgrad.storage.Shapes;

/** Index-based selection and its adjoints: index_select / index_add, gather / scatter_add. */
public final class Indexing {
    private Indexing() {
    }

    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        int d = Shapes.wrapDim(dim, x.dim());
        if (x.dim() == 0) {
            // PyTorch: a 0-d input gives a 0-d result for any in-range index
            Kernels.indices(index, 1, "index_select");
            return record(x.cloneData(), "IndexSelectBackward0", "identity", inputs(x), saved(), (g, s) -> grads(g));
        }
        if (index.dim() > 1) {
            throw new IllegalArgumentException("index_select(): Index is supposed to be a vector");
        }
        int[] shape = x.shape();
        return record(Kernels.indexSelect(x, d, index), "IndexSelectBackward0", "the gradient is added back at the selected indices",
                inputs(x), saved(index), (g, s) -> grads(indexAdd(shape, g.dtype(), d, s[0], g)));
    }

    /** zeros(shape) with the slices of src added at {@code index} along {@code dim}; adjoint of index_select. */
    public static Tensor indexAdd(int[] shape, DType dtype, int dim, Tensor index, Tensor src) {
        return record(Kernels.indexAdd(shape, dtype, dim, index, src), "IndexAddBackward0", "select the gradient at the indices",
                inputs(src), saved(index), (g, s) -> grads(g.indexSelect(dim, s[0])));
    }

    public static Tensor gather(Tensor x, int dim, Tensor index) {
        int d = Shapes.wrapDim(dim, x.dim());
        if (index.dim() != x.dim()) {
            throw new IllegalArgumentException("Index tensor must have the same number of dimensions as input tensor");
        }
        if (x.dim() == 0) {
            Kernels.indices(index, 1, "gather");
            return record(x.cloneData(), "GatherBackward0", "identity", inputs(x), saved(), (g, s) -> grads(g));
        }
        int[] shape = x.shape();
        return record(Kernels.gather(x, d, index), "GatherBackward0", "the gradient is scattered back (added) at the gathered indices",
                inputs(x), saved(index), (g, s) -> grads(scatterAdd(shape, g.dtype(), d, s[0], g)));
    }

    /** zeros(shape) with src added at the positions {@code index} selects along {@code dim}; adjoint of gather. */
    public static Tensor scatterAdd(int[] shape, DType dtype, int dim, Tensor index, Tensor src) {
        return record(Kernels.scatterAdd(shape, dtype, dim, index, src), "ScatterAddBackward0", "gather the gradient at the indices",
                inputs(src), saved(index), (g, s) -> grads(g.gather(dim, s[0])));
    }
}
