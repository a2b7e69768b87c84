package dev.jgrad.storage;

import java.util.Arrays;

/**
 * Shape arithmetic: element counts, contiguous strides, dimension wrapping and PyTorch's
 * broadcasting rule. Internal helper for tensors and kernels.
 * <pre>{@code
 * int[] s = Shapes.broadcast(new int[]{2, 1}, new int[]{3}, "add"); // [2, 3]
 * int d = Shapes.wrapDim(-1, 2);                                    // 1
 * }</pre>
 */
public final class Shapes {
    private Shapes() {
    }

    private static final int[] STRIDES_0 = new int[0];
    private static final int[] STRIDES_1 = {1};
    private static final int[][] STRIDES_2 = new int[1024][];

    static {
        for (int n = 0; n < STRIDES_2.length; n++) {
            STRIDES_2[n] = new int[] {Math.max(n, 1), 1};
        }
    }

    public static int numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension " + s + " in shape " + format(shape));
            }
            n *= s;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + format(shape) + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    /**
     * The row-major strides of {@code shape}. Shape and stride arrays are never modified once a
     * tensor has them, so the strides of scalars, vectors and matrices of up to 1024 columns are
     * shared arrays rather than new ones for every tensor.
     */
    public static int[] contiguousStrides(int[] shape) {
        if (shape.length == 0) {
            return STRIDES_0;
        }
        if (shape.length == 1) {
            return STRIDES_1;
        }
        if (shape.length == 2 && shape[1] >= 0 && shape[1] < STRIDES_2.length) {
            return STRIDES_2[shape[1]];
        }
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    /** Wraps a possibly negative dimension index into [0, rank), as PyTorch's maybe_wrap_dim. */
    public static int wrapDim(int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of ["
                    + (-r) + ", " + (r - 1) + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    /** PyTorch's broadcasting of two shapes; {@code op} names the operation in the error. */
    public static int[] broadcast(int[] a, int[] b, String op) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("The size of tensor a (" + da + ") must match the size of tensor b ("
                        + db + ") at non-singleton dimension " + i + " (" + op + ": shapes " + format(a) + " and "
                        + format(b) + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** True if {@code small} broadcasts to {@code big} (trailing dims equal or 1, no more dims). */
    public static boolean broadcastsTo(int[] small, int[] big) {
        if (small.length > big.length) {
            return false;
        }
        int off = big.length - small.length;
        for (int d = 0; d < small.length; d++) {
            if (small[d] != 1 && small[d] != big[d + off]) {
                return false;
            }
        }
        return true;
    }

    /** PyTorch's {@code torch.Size([2, 3])} spelling. */
    public static String format(int[] shape) {
        return "[" + String.join(", ", Arrays.stream(shape).mapToObj(Integer::toString).toArray(String[]::new)) + "]";
    }

    /** Resolves a single -1 in a requested shape against an element count (view/reshape). */
    public static int[] inferSize(int[] requested, int numel) {
        int[] shape = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("only one dimension can be inferred");
                }
                infer = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException("invalid shape dimension " + shape[i]);
            } else {
                known *= shape[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException("shape '" + format(requested) + "' is invalid for input of size " + numel);
            }
            shape[infer] = (int) (numel / known);
        } else if (known != numel) {
            throw new IllegalArgumentException("shape '" + format(requested) + "' is invalid for input of size " + numel);
        }
        return shape;
    }
}
