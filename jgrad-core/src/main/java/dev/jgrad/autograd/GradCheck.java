package dev.jgrad.autograd;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.kernel.Kernels;
import dev.jgrad.storage.Shapes;
import dev.jgrad.storage.Storage;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Finite-difference checks of gradients, as {@code torch.autograd.gradcheck} and
 * {@code gradgradcheck}: the analytical Jacobian (one vector-Jacobian product per output element,
 * via {@link Autograd#grad}) must match central differences within {@code atol + rtol·|numerical|}.
 *
 * <p>Inputs that require grad must be float64 leaves without overlapping memory; other inputs
 * (int64 targets, bool masks, constants) are passed through unchanged. A mismatch throws a
 * {@link GradcheckError} naming the output, input, element and both values; so does a gradient
 * of the wrong shape or dtype, or a backward that gives different values when run twice.
 * <pre>{@code
 * Tensor x = Tensor.fromDoubles(new double[] {0.5, 1.5}, 2).requiresGrad_();
 * GradCheck.gradcheck(in -> in[0].exp().mul(in[0]), x); GradCheck.gradgradcheck(in -> in[0].tanh(), x);
 * }</pre>
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** A function of several tensors with several outputs (e.g. split); non-floating outputs are ignored. */
    @FunctionalInterface
    public interface MultiFunction {
        Tensor[] apply(Tensor[] inputs);
    }

    /** Tolerances and behaviour of a check; immutable, change with the withers. */
    public static final class Options {
        private final double eps;
        private final double atol;
        private final double rtol;
        private final long seed;
        private final boolean raiseException;

        private Options(double eps, double atol, double rtol, long seed, boolean raiseException) {
            this.eps = eps;
            this.atol = atol;
            this.rtol = rtol;
            this.seed = seed;
            this.raiseException = raiseException;
        }

        /** PyTorch's defaults: eps 1e-6, atol 1e-5, rtol 1e-3; seed 0; throw on mismatch. */
        public static Options defaults() {
            return new Options(1e-6, 1e-5, 1e-3, 0L, true);
        }

        /** The finite-difference step. */
        public Options eps(double value) {
            return new Options(value, atol, rtol, seed, raiseException);
        }

        public Options atol(double value) {
            return new Options(eps, value, rtol, seed, raiseException);
        }

        /** Relative tolerance, relative to the numerical value. */
        public Options rtol(double value) {
            return new Options(eps, atol, value, seed, raiseException);
        }

        /** Seed of the random grad_outputs of {@link #gradgradcheck}. */
        public Options seed(long value) {
            return new Options(eps, atol, rtol, value, raiseException);
        }

        /** When false, a mismatch returns false instead of throwing (usage errors still throw). */
        public Options raiseException(boolean value) {
            return new Options(eps, atol, rtol, seed, value);
        }

        public double eps() {
            return eps;
        }

        public double atol() {
            return atol;
        }

        public double rtol() {
            return rtol;
        }

        public long seed() {
            return seed;
        }

        public boolean raisesException() {
            return raiseException;
        }
    }

    /** A failed check (PyTorch's GradcheckError); the indices locate the first mismatching Jacobian entry. */
    public static final class GradcheckError extends RuntimeException {
        private final int outputIndex;
        private final int inputIndex;
        private final int outputElement;
        private final int inputElement;
        private final double numerical;
        private final double analytical;

        GradcheckError(String message, int outputIndex, int inputIndex, int outputElement, int inputElement,
                       double numerical, double analytical) {
            super(message);
            this.outputIndex = outputIndex;
            this.inputIndex = inputIndex;
            this.outputElement = outputElement;
            this.inputElement = inputElement;
            this.numerical = numerical;
            this.analytical = analytical;
        }

        /** Index of the output among the function's outputs. */
        public int outputIndex() {
            return outputIndex;
        }

        /** Index of the input among the function's inputs. */
        public int inputIndex() {
            return inputIndex;
        }

        /** Row-major (flat) index of the element of the output, or -1 if not about one element. */
        public int outputElement() {
            return outputElement;
        }

        /** Row-major (flat) index of the element of the input, or -1 if not about one element. */
        public int inputElement() {
            return inputElement;
        }

        public double numerical() {
            return numerical;
        }

        public double analytical() {
            return analytical;
        }
    }

    // ------------------------------------------------------------------ entry points

    /** Checks the gradients of a single-output {@code fn} at {@code inputs} with the default options. */
    public static boolean gradcheck(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        return gradcheck(fn, Options.defaults(), inputs);
    }

    public static boolean gradcheck(Function<Tensor[], Tensor> fn, Options options, Tensor... inputs) {
        return gradcheckMulti(single(fn), options, inputs);
    }

    /** Checks the gradients of every floating output of {@code fn}. */
    public static boolean gradcheckMulti(MultiFunction fn, Tensor... inputs) {
        return gradcheckMulti(fn, Options.defaults(), inputs);
    }

    public static boolean gradcheckMulti(MultiFunction fn, Options options, Tensor... inputs) {
        return check(fn, options, inputs, "gradcheck", inputs.length);
    }

    /**
     * Checks second derivatives: the vector-Jacobian product of {@code fn} with random float64
     * grad_outputs (uniform in [-1, 1), seeded) is itself gradchecked with respect to the inputs
     * and the grad_outputs. In the error, inputs beyond the function's own are the grad_outputs
     * and output k is the gradient of the k-th input that requires grad.
     */
    public static boolean gradgradcheck(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        return gradgradcheck(fn, Options.defaults(), inputs);
    }

    public static boolean gradgradcheck(Function<Tensor[], Tensor> fn, Options options, Tensor... inputs) {
        return gradgradcheckMulti(single(fn), options, inputs);
    }

    public static boolean gradgradcheckMulti(MultiFunction fn, Tensor... inputs) {
        return gradgradcheckMulti(fn, Options.defaults(), inputs);
    }

    public static boolean gradgradcheckMulti(MultiFunction fn, Options options, Tensor... inputs) {
        int[] diff = checkInputs(inputs, "gradgradcheck");
        Tensor[] outputs = differentiable(evaluate(fn, inputs, "gradgradcheck"));
        Random random = new Random(options.seed());
        Tensor[] gradOutputs = new Tensor[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            double[] v = new double[outputs[i].numel()];
            for (int j = 0; j < v.length; j++) {
                v[j] = random.nextDouble() * 2 - 1;
            }
            gradOutputs[i] = Tensor.fromDoubles(v, outputs[i].shape()).requiresGrad_();
        }
        int n = inputs.length;
        MultiFunction vjp = args -> {
            Tensor[] in = Arrays.copyOf(args, n);
            Tensor[] outs = differentiable(fn.apply(in));
            int used = 0;
            Tensor[] o = new Tensor[outs.length];
            Tensor[] g = new Tensor[outs.length];
            for (int i = 0; i < outs.length; i++) {
                if (outs[i].requiresGrad()) {
                    o[used] = outs[i];
                    g[used++] = args[n + i];
                }
            }
            Tensor[] diffIn = new Tensor[diff.length];
            for (int k = 0; k < diff.length; k++) {
                diffIn[k] = in[diff[k]];
            }
            Tensor[] grads = used == 0 ? new Tensor[diff.length]
                    : Autograd.grad(Arrays.copyOf(o, used), diffIn, Arrays.copyOf(g, used), true, true, true);
            for (int k = 0; k < grads.length; k++) {
                if (grads[k] == null) {
                    grads[k] = Tensor.zeros(DType.FLOAT64, diffIn[k].shape());
                }
            }
            return grads;
        };
        Tensor[] all = Arrays.copyOf(inputs, n + gradOutputs.length);
        System.arraycopy(gradOutputs, 0, all, n, gradOutputs.length);
        return check(vjp, options, all, "gradgradcheck", n);
    }

    // ------------------------------------------------------------------ the check

    private static MultiFunction single(Function<Tensor[], Tensor> fn) {
        return in -> new Tensor[] {fn.apply(in)};
    }

    private static boolean check(MultiFunction fn, Options o, Tensor[] inputs, String what, int ownInputs) {
        int[] diff = checkInputs(inputs, what);
        Tensor[] outputs = evaluate(fn, inputs, what);
        double[][][][] analytical = analyticalJacobian(outputs, inputs, diff, what);
        double[][][][] numerical = numericalJacobian(fn, inputs, diff, outputs, o.eps(), what);
        for (int oi = 0; oi < outputs.length; oi++) {
            if (analytical[oi] == null) {
                continue;
            }
            for (int k = 0; k < diff.length; k++) {
                double[][] a = analytical[oi][k];
                double[][] nu = numerical[oi][k];
                for (int e = 0; e < a.length; e++) {
                    for (int j = 0; j < a[e].length; j++) {
                        double an = a[e][j];
                        double num = nu[e][j];
                        if (!(Math.abs(an - num) <= o.atol() + o.rtol() * Math.abs(num))) {
                            if (!o.raisesException()) {
                                return false;
                            }
                            throw mismatch(what, ownInputs, inputs, outputs, oi, diff[k], e, j, num, an, nu, a, o);
                        }
                    }
                }
            }
        }
        return true;
    }

    /** Indices of the inputs that require grad; rejects inputs finite differences cannot handle. */
    private static int[] checkInputs(Tensor[] inputs, String what) {
        int count = 0;
        int[] diff = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t == null || !t.requiresGrad()) {
                continue;
            }
            if (t.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException(what + ": input " + i + " requires grad but has dtype " + t.dtype()
                        + "; finite differences need double precision: pass .to(DType.FLOAT64) inputs");
            }
            if (!t.isLeaf()) {
                throw new IllegalArgumentException(what + ": input " + i + " requires grad but is not a leaf (it has grad_fn="
                        + t.gradFn().name() + "); pass x.detach().requiresGrad_() and build the rest inside the function");
            }
            int[] off = Kernels.offsets(t);
            Set<Integer> seen = new HashSet<>();
            for (int x : off) {
                if (!seen.add(x)) {
                    throw new IllegalArgumentException(what + ": input " + i + " (shape " + Shapes.format(t.shape()) + ", stride "
                            + Shapes.format(t.stride()) + ") has overlapping memory, e.g. from expand; finite differences "
                            + "need every element in its own memory: call .contiguous() on it, or expand inside the function");
                }
            }
            diff[count++] = i;
        }
        if (count == 0) {
            throw new IllegalArgumentException(what + ": expected at least one input tensor to require gradient, but none did");
        }
        return Arrays.copyOf(diff, count);
    }

    private static Tensor[] evaluate(MultiFunction fn, Tensor[] inputs, String what) {
        Tensor[] outputs;
        boolean previous = GradMode.set(true);
        try {
            outputs = fn.apply(inputs);
        } finally {
            GradMode.set(previous);
        }
        if (outputs == null) {
            throw new IllegalArgumentException(what + ": the function returned null");
        }
        for (int i = 0; i < outputs.length; i++) {
            if (outputs[i] == null) {
                throw new IllegalArgumentException(what + ": output " + i + " of the function is null");
            }
            DType t = outputs[i].dtype();
            if (t.isFloatingPoint() && t != DType.FLOAT64) {
                throw new IllegalArgumentException(what + ": output " + i + " has dtype " + t
                        + "; finite differences need double precision outputs");
            }
        }
        return outputs;
    }

    private static Tensor[] differentiable(Tensor[] outputs) {
        return Arrays.stream(outputs).filter(t -> t.dtype().isFloatingPoint()).toArray(Tensor[]::new);
    }

    /**
     * J[output][input k][input element][output element], by one backward pass per output
     * element with a one-hot grad_output; null for non-floating outputs.
     */
    private static double[][][][] analyticalJacobian(Tensor[] outputs, Tensor[] inputs, int[] diff, String what) {
        Tensor[] diffIn = new Tensor[diff.length];
        for (int k = 0; k < diff.length; k++) {
            diffIn[k] = inputs[diff[k]];
        }
        double[][][][] jac = new double[outputs.length][][][];
        for (int oi = 0; oi < outputs.length; oi++) {
            Tensor out = outputs[oi];
            if (!out.dtype().isFloatingPoint()) {
                continue;
            }
            int m = out.numel();
            jac[oi] = new double[diff.length][][];
            for (int k = 0; k < diff.length; k++) {
                jac[oi][k] = new double[diffIn[k].numel()][m];
            }
            if (!out.requiresGrad()) {
                continue; // the Jacobian is zero; the numerical one must be too
            }
            for (int j = 0; j < m; j++) {
                Tensor[] g = vjp(out, diffIn, m, j);
                if (j == 0) {
                    Tensor[] again = vjp(out, diffIn, m, j);
                    for (int k = 0; k < diff.length; k++) {
                        double[] a = g[k] == null ? null : g[k].toDoubleArray();
                        double[] b = again[k] == null ? null : again[k].toDoubleArray();
                        if (!Arrays.equals(a, b)) {
                            throw new GradcheckError(what + ": backward is not reentrant, i.e., running backward with the same "
                                    + "input and grad_output twice gives different values for output " + oi
                                    + " with respect to input " + diff[k], oi, diff[k], -1, -1, Double.NaN, Double.NaN);
                        }
                    }
                }
                for (int k = 0; k < diff.length; k++) {
                    if (g[k] == null) {
                        continue;
                    }
                    if (!Arrays.equals(g[k].shape(), diffIn[k].shape())) {
                        throw new GradcheckError(what + ": the gradient of output " + oi + " with respect to input " + diff[k]
                                + " has shape " + Shapes.format(g[k].shape()) + " but the input has shape "
                                + Shapes.format(diffIn[k].shape()), oi, diff[k], -1, -1, Double.NaN, Double.NaN);
                    }
                    if (g[k].dtype() != diffIn[k].dtype()) {
                        throw new GradcheckError(what + ": the gradient of output " + oi + " with respect to input " + diff[k]
                                + " has dtype " + g[k].dtype() + " but the input has dtype " + diffIn[k].dtype(),
                                oi, diff[k], -1, -1, Double.NaN, Double.NaN);
                    }
                    double[] v = g[k].toDoubleArray();
                    for (int e = 0; e < v.length; e++) {
                        jac[oi][k][e][j] = v[e];
                    }
                }
            }
        }
        return jac;
    }

    private static Tensor[] vjp(Tensor out, Tensor[] diffIn, int m, int j) {
        double[] onehot = new double[m];
        onehot[j] = 1.0;
        Tensor go = Tensor.fromDoubles(onehot, out.shape());
        return Autograd.grad(new Tensor[] {out}, diffIn, new Tensor[] {go}, true, false, true);
    }

    /** Central differences (f(x + eps) − f(x − eps)) / 2eps, perturbing each input element in place. */
    private static double[][][][] numericalJacobian(MultiFunction fn, Tensor[] inputs, int[] diff, Tensor[] outputs,
                                                     double eps, String what) {
        double[][][][] jac = new double[outputs.length][diff.length][][];
        for (int k = 0; k < diff.length; k++) {
            Tensor x = inputs[diff[k]];
            Storage storage = x.storage();
            int[] offsets = Kernels.offsets(x);
            for (int oi = 0; oi < outputs.length; oi++) {
                jac[oi][k] = new double[offsets.length][outputs[oi].numel()];
            }
            for (int e = 0; e < offsets.length; e++) {
                double orig = storage.get(offsets[e]);
                double[][] minus;
                double[][] plus;
                try {
                    storage.set(offsets[e], orig - eps);
                    minus = values(fn, inputs, outputs, what);
                    storage.set(offsets[e], orig + eps);
                    plus = values(fn, inputs, outputs, what);
                } finally {
                    storage.set(offsets[e], orig);
                }
                for (int oi = 0; oi < outputs.length; oi++) {
                    for (int j = 0; j < plus[oi].length; j++) {
                        jac[oi][k][e][j] = (plus[oi][j] - minus[oi][j]) / (2 * eps);
                    }
                }
            }
        }
        return jac;
    }

    private static double[][] values(MultiFunction fn, Tensor[] inputs, Tensor[] reference, String what) {
        Tensor[] out = evaluate(fn, inputs, what);
        if (out.length != reference.length) {
            throw new IllegalStateException(what + ": the function returned " + out.length + " outputs, then " + reference.length);
        }
        double[][] v = new double[out.length][];
        for (int i = 0; i < out.length; i++) {
            if (!Arrays.equals(out[i].shape(), reference[i].shape())) {
                throw new IllegalStateException(what + ": output " + i + " changed shape under perturbation: "
                        + Shapes.format(reference[i].shape()) + " then " + Shapes.format(out[i].shape()));
            }
            v[i] = out[i].toDoubleArray();
        }
        return v;
    }

    private static GradcheckError mismatch(String what, int ownInputs, Tensor[] inputs, Tensor[] outputs, int oi, int ii,
                                           int e, int j, double num, double an, double[][] nu, double[][] a, Options o) {
        StringBuilder msg = new StringBuilder();
        if (!"gradcheck".equals(what)) {
            msg.append(what).append(": ");
        }
        msg.append("Jacobian mismatch for output ").append(oi).append(" with respect to input ").append(ii).append(",\n");
        msg.append("at output element ").append(j).append(' ').append(index(outputs[oi].shape(), j))
                .append(" and input element ").append(e).append(' ').append(index(inputs[ii].shape(), e))
                .append(": numerical ").append(num).append(", analytical ").append(an)
                .append(" (|difference| ").append(Math.abs(an - num)).append(" > atol ").append(o.atol())
                .append(" + rtol ").append(o.rtol()).append(" · |numerical|)\n");
        if (ii >= ownInputs) {
            msg.append("(input ").append(ii).append(" is grad_output ").append(ii - ownInputs)
                    .append(" of the function's vector-Jacobian product)\n");
        }
        int rows = a.length;
        int cols = rows == 0 ? 0 : a[0].length;
        if ((long) rows * cols <= 400) {
            msg.append("numerical:").append(matrix(nu, rows, cols)).append('\n');
            msg.append("analytical:").append(matrix(a, rows, cols)).append('\n');
        } else {
            msg.append("(the Jacobians are ").append(rows).append(" x ").append(cols).append(", too large to print)\n");
        }
        return new GradcheckError(msg.toString(), oi, ii, j, e, num, an);
    }

    private static String index(int[] shape, int flat) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return Arrays.toString(idx);
    }

    private static Tensor matrix(double[][] m, int rows, int cols) {
        double[] flat = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(m[r], 0, flat, r * cols, cols);
        }
        return Tensor.fromDoubles(flat, rows, cols);
    }
}
