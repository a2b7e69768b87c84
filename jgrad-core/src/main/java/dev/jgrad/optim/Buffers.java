package dev.jgrad.optim;

import dev.jgrad.Tensor;
import dev.jgrad.kernel.Kernels;

/** Reads and writes a parameter's elements through its strides, for the optimizers' update loops. */
final class Buffers {
    private Buffers() {
    }

    static int[] offsets(Tensor t) {
        return t.isContiguous() ? null : Kernels.offsets(t);
    }

    static double get(Tensor t, int[] offsets, int i) {
        return t.storage().get(offsets == null ? t.storageOffset() + i : offsets[i]);
    }

    static void set(Tensor t, int[] offsets, int i, double v) {
        t.storage().set(offsets == null ? t.storageOffset() + i : offsets[i], v);
    }

    /** Values of {@code t} in row-major order. */
    static double[] values(Tensor t) {
        return Kernels.toDoubles(t);
    }
}
