package dev.jgrad.data;

import dev.jgrad.DType;
import dev.jgrad.Tensor;

/**
 * One-hot encoding of class indices, as {@code torch.nn.functional.one_hot}: int64 labels of any
 * shape become a tensor with one more dimension of size {@code numClasses}.
 * <pre>{@code
 * Tensor y = OneHot.encode(Jgrad.tensor(new long[] {2, 0}), 3);   // [[0, 0, 1], [1, 0, 0]] int64
 * Tensor yf = OneHot.encode(labels, 10, DType.FLOAT32);            // as targets of mse or bce
 * }</pre>
 */
public final class OneHot {
    private OneHot() {
    }

    /** int64 one-hot rows ({@code F.one_hot(labels, numClasses)}). */
    public static Tensor encode(Tensor labels, int numClasses) {
        return encode(labels, numClasses, DType.INT64);
    }

    /** One-hot rows in {@code dtype}. */
    public static Tensor encode(Tensor labels, int numClasses, DType dtype) {
        if (labels.dtype() != DType.INT64) {
            throw new IllegalArgumentException("one_hot is only applicable to index tensor (int64), got " + labels.typeName());
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("num_classes must be positive, got " + numClasses);
        }
        long[] v = labels.toLongArray();
        int[] shape = java.util.Arrays.copyOf(labels.shape(), labels.dim() + 1);
        shape[labels.dim()] = numClasses;
        double[] out = new double[v.length * numClasses];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= numClasses) {
                throw new IllegalArgumentException("Class values must be smaller than num_classes (" + numClasses
                        + ") and not negative, got " + v[i] + " at position " + i);
            }
            out[i * numClasses + (int) v[i]] = 1;
        }
        return Tensor.fromDoubles(out, shape).to(dtype);
    }

    /** The class of each row: the index of its largest value ({@code argmax(-1)}), int64. */
    public static Tensor decode(Tensor oneHot) {
        return oneHot.argmax(oneHot.dim() - 1, false);
    }
}
