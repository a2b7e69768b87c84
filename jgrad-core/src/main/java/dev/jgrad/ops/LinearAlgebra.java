package dev.jgrad.ops;

import static dev.jgrad.autograd.Graph.grads;
import static dev.jgrad.autograd.Graph.inputs;
import static dev.jgrad.autograd.Graph.record;
import static dev.jgrad.autograd.Graph.saved;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.BackwardFn;
import dev.jgrad.autograd.Fusion;
import dev.jgrad.autograd.Graph;
import dev.jgrad.autograd.Derivative;
import dev.jgrad.hand.HandRules;
import dev.jgrad.hand.HandStep;
import dev.jgrad.hand.NdArray;
import dev.jgrad.kernel.Kernels;
import dev.jgrad.kernel.UnaryOp;
import dev.jgrad.storage.Shapes;

/** Matrix products: mm, bmm, addmm, matmul (torch.matmul's rules), linear. */
public final class LinearAlgebra {
    private LinearAlgebra() {
    }

    private static DType common(Tensor a, Tensor b, String op) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": expected mat1 and mat2 to have the same dtype, but got: "
                    + a.dtype().torchName().substring(6) + " != " + b.dtype().torchName().substring(6));
        }
        if (!a.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": only floating-point tensors are supported, got " + a.dtype());
        }
        return a.dtype();
    }

    /** [n, m] @ [m, p] → [n, p]. */
    public static Tensor mm(Tensor a, Tensor b) {
        if (a.dim() != 2 || b.dim() != 2) {
            throw new IllegalArgumentException("mm: expected 2D tensors, got " + a.dim() + "D and " + b.dim() + "D");
        }
        checkInner(a, b, "mm");
        DType t = common(a, b, "mm");
        Tensor y = Kernels.mm(a, b, null, 1, 1, t);
        return record(y, "MmBackward0", MM, inputs(a, b), saved(a, b),
                (g, s) -> grads(s[0].requiresGrad() ? mmGrad(g, false, s[1], true) : null,
                        s[1].requiresGrad() ? rightGrad(s[0], g, s[1]) : null));
    }

    /**
     * A product in a backward formula, {@code op(x) · op(y)} with op a transpose where flagged.
     * Outside create-graph mode the transposes are strided views read in place by the kernel;
     * otherwise the differentiable ops (t, mm) so that the result has a graph.
     */
    private static Tensor mmGrad(Tensor x, boolean tx, Tensor y, boolean ty) {
        if (Graph.needsGrad(x, y)) {
            return (tx ? x.t() : x).mm(ty ? y.t() : y);
        }
        Tensor a = tx ? transposed(x) : x;
        Tensor b = ty ? transposed(y) : y;
        return Kernels.mm(a, b, null, 1, 1, x.dtype());
    }

    /**
     * The gradient of the right operand b of a·b: aᵀ·g. When b is a transposed view (a linear
     * layer's wᵀ) it is computed as (gᵀ·a)ᵀ, the transpose of a contiguous product, so that the
     * transpose back in TBackward0 hands the weight a contiguous gradient it can take without a
     * copy. The same fused multiply-adds in the same order: the same bits.
     */
    private static Tensor rightGrad(Tensor a, Tensor g, Tensor b) {
        if (b.dim() == 2 && b.stride(0) == 1 && b.size(1) > 1 && b.stride(1) != 1 && !Graph.needsGrad(a, g)) {
            return transposed(mmGrad(g, true, a, false));
        }
        return mmGrad(a, true, g, false);
    }

    private static Tensor transposed(Tensor x) {
        int[] sh = x.shapeRef();
        int[] st = x.strideRef();
        return x.stridedView(new int[] {sh[1], sh[0]}, new int[] {st[1], st[0]}, x.storageOffset());
    }

    /** Z = A·B: the derivative of mm, also the product part of addmm. */
    private static final Derivative MM = Derivative.of("Z = A·B: ∂Z/∂A = Bᵀ, ∂Z/∂B = Aᵀ, so ∂J/∂A = G·Bᵀ and ∂J/∂B = Aᵀ·G",
            "Z = A B:\\quad \\frac{\\partial J}{\\partial A} = G\\,B^\\top,\\quad \\frac{\\partial J}{\\partial B} = A^\\top G")
            .inputs("A", "B").hand((g, s) -> new HandStep[] {productA(0, g, s[1], 1), productB(1, g, s[0], 1)});

    /** ∂J/∂A = α·G·Bᵀ by hand. */
    private static HandStep productA(int input, NdArray g, NdArray b, double alpha) {
        HandStep.Builder h = HandStep.of(input, g.matmul(b.transpose()).mul(alpha)).expression("G · Bᵀ", "G\\,B^\\top")
                .operand("Bᵀ", "B^\\top", b.transpose());
        return (alpha == 1 ? h : h.scale(alpha, "α = " + dev.jgrad.PyFormat.repr(alpha), "\\alpha = " + dev.jgrad.PyFormat.repr(alpha))).build();
    }

    /** ∂J/∂B = α·Aᵀ·G by hand, with the per-sample terms a⁽ⁱ⁾ᵀ·g⁽ⁱ⁾ (row i of A and of G) it sums. */
    private static HandStep productB(int input, NdArray g, NdArray a, double alpha) {
        java.util.List<NdArray> terms = new java.util.ArrayList<>();
        for (int i = 0; i < a.size(0); i++) {
            terms.add(a.row(i).transpose().matmul(g.row(i)).mul(alpha));
        }
        HandStep.Builder h = HandStep.of(input, a.transpose().matmul(g).mul(alpha)).expression("Aᵀ · G", "A^\\top G")
                .operand("Aᵀ", "A^\\top", a.transpose())
                .terms(terms, "a⁽ⁱ⁾ᵀ · g⁽ⁱ⁾ for each sample i (row i of A and of G)", "{a^{(i)}}^\\top g^{(i)}");
        return (alpha == 1 ? h : h.scale(alpha, "α = " + dev.jgrad.PyFormat.repr(alpha), "\\alpha = " + dev.jgrad.PyFormat.repr(alpha))).build();
    }

    /** Z = β·b + α·A·B (b broadcast over the rows): the derivative of addmm, the linear layer's op. */
    private static Derivative addmmDerivative(double beta, double alpha) {
        return beta == 1 && alpha == 1 ? ADDMM : buildAddmmDerivative(beta, alpha);
    }

    /** The linear layer's derivative, built once. */
    private static final Derivative ADDMM = buildAddmmDerivative(1, 1);

    private static Derivative buildAddmmDerivative(double beta, double alpha) {
        String scale = beta == 1 && alpha == 1 ? "" : " (β = " + dev.jgrad.PyFormat.repr(beta) + ", α = " + dev.jgrad.PyFormat.repr(alpha) + ")";
        return Derivative.of("Z = b + A·B" + scale + ": ∂Z/∂b = 1 for every row, ∂Z/∂A = Bᵀ, ∂Z/∂B = Aᵀ, "
                        + "so ∂J/∂b = Σ_rows G, ∂J/∂A = G·Bᵀ, ∂J/∂B = Aᵀ·G",
                "Z = b + A B:\\quad \\frac{\\partial J}{\\partial b} = \\textstyle\\sum_{\\text{rows}} G,\\quad "
                        + "\\frac{\\partial J}{\\partial A} = G\\,B^\\top,\\quad \\frac{\\partial J}{\\partial B} = A^\\top G")
                .inputs("b", "A", "B").hand((g, s) -> new HandStep[] {
                    beta == 1 ? HandStep.of(0, g).expression("G (each row: one sample's copy of b)", "G").build()
                            : HandStep.of(0, g.mul(beta)).expression("β·G", "\\beta G").build(),
                    productA(1, g, s[1], alpha),
                    productB(2, g, s[0], alpha)});
    }

    private static void checkInner(Tensor a, Tensor b, String op) {
        if (a.size(-1) != b.size(-2)) {
            throw new IllegalArgumentException(op + ": mat1 and mat2 shapes cannot be multiplied (" + a.size(-2) + "x" + a.size(-1)
                    + " and " + b.size(-2) + "x" + b.size(-1) + ")");
        }
    }

    /** [b, n, m] @ [b, m, p] → [b, n, p]. */
    public static Tensor bmm(Tensor a, Tensor b) {
        if (a.dim() != 3 || b.dim() != 3) {
            throw new IllegalArgumentException("bmm: expected 3D tensors, got " + a.dim() + "D and " + b.dim() + "D");
        }
        if (a.size(0) != b.size(0)) {
            throw new IllegalArgumentException("bmm: batch sizes differ: " + Shapes.format(a.shape()) + " and " + Shapes.format(b.shape()));
        }
        checkInner(a, b, "bmm");
        DType t = common(a, b, "bmm");
        return record(Kernels.bmm(a, b, null, 1, 1, t), "BmmBackward0", "∂(AB)/∂A = G·Bᵀ, ∂(AB)/∂B = Aᵀ·G",
                inputs(a, b), saved(a, b), (g, s) -> grads(g.bmm(s[1].transpose(1, 2)), s[0].transpose(1, 2).bmm(g)));
    }

    /** beta · c + alpha · (a @ b), with c broadcast to [n, p]. */
    public static Tensor addmm(Tensor c, Tensor a, Tensor b, double beta, double alpha) {
        if (a.dim() != 2 || b.dim() != 2) {
            throw new IllegalArgumentException("addmm: expected 2D matrices, got " + a.dim() + "D and " + b.dim() + "D");
        }
        checkInner(a, b, "addmm");
        DType t = common(a, b, "addmm");
        if (!(c.dim() == 1 && c.size(0) == b.size(1))) { // the linear layer's bias needs no check
            Shapes.broadcast(c.shape(), new int[] {a.size(0), b.size(1)}, "addmm");
        }
        return recordAddmm(Kernels.mm(a, b, c, beta, alpha, t), c, a, b, beta, alpha);
    }

    /**
     * Records y = beta·c + alpha·(a @ b) computed by a kernel elsewhere. With alpha = 1 the
     * backward may compute mat1's gradient with a ReLU's mask in the product ({@link Fusion}).
     */
    private static Tensor recordAddmm(Tensor y, Tensor c, Tensor a, Tensor b, double beta, double alpha) {
        BackwardFn fn = beta == 1.0 && alpha == 1.0 ? ADDMM_BACKWARD : addmmBackward(beta, alpha);
        return record(y, "AddmmBackward0", addmmDerivative(beta, alpha), inputs(c, a, b), saved(a, b), fn);
    }

    /** The linear layer's backward, built once. */
    private static final BackwardFn ADDMM_BACKWARD = addmmBackward(1.0, 1.0);

    private static BackwardFn addmmBackward(double beta, double alpha) {
        BackwardFn fn = (g, s) -> grads(
                beta == 1.0 ? g : g.mul(beta),
                // only the products whose input takes a gradient (as PyTorch's needs_input_grad)
                !s[0].requiresGrad() ? null : alpha == 1.0 ? mmGrad(g, false, s[1], true) : mmGrad(g, false, s[1], true).mul(alpha),
                !s[1].requiresGrad() ? null : alpha == 1.0 ? rightGrad(s[0], g, s[1]) : rightGrad(s[0], g, s[1]).mul(alpha));
        if (alpha == 1.0) {
            // G·Bᵀ masked in the product's epilogue, else the same as fn (not in create-graph mode: the engine asks only then)
            fn = Fusion.maskable(fn, 1, (g, s, mask) -> {
                if (!Fusion.pays(g.size(0), s[1].size(0), g.size(1))) {
                    return null; // the plain product and ReLU's own backward are cheaper
                }
                Tensor ga = Kernels.mmReluMasked(g, transposed(s[1]), mask);
                return ga == null ? null : grads(beta == 1.0 ? g : g.mul(beta), ga,
                        !s[1].requiresGrad() ? null : rightGrad(s[0], g, s[1]));
            });
        }
        return fn;
    }

    /**
     * Internal (nn.Sequential's fusion): {@code act(linear(x, w, b))} for 2-D x and a bias, act
     * ReLU or sigmoid, as one product that adds the bias and applies act to each block of its
     * output ({@link Kernels#addmmActivation}): the same bits as the two ops, and the same graph
     * node for node (TBackward0 of w, AddmmBackward0 saving x and wᵀ, ReluBackward0 or
     * SigmoidBackward0 saving its output). The pre-activation tensor never exists: the AddmmBackward0
     * node is attached to a stand-in sharing the output's storage, which nothing can reach (the
     * activation's node saves only its output). Other operands take the two ops.
     */
    public static Tensor linearActivation(Tensor x, Tensor w, Tensor b, UnaryOp act) {
        if (act != UnaryOp.RELU && act != UnaryOp.SIGMOID) {
            throw new IllegalArgumentException("linearActivation: ReLU or sigmoid, got " + act);
        }
        if (x.dim() != 2 || w.dim() != 2 || b == null) {
            return activation(linear(x, w, b), act);
        }
        Tensor wt = w.t();
        checkInner(x, wt, "addmm");
        common(x, wt, "addmm");
        if (!(b.dim() == 1 && b.size(0) == wt.size(1))) {
            Shapes.broadcast(b.shape(), new int[] {x.size(0), wt.size(1)}, "addmm");
        }
        Tensor y = Kernels.addmmActivation(x, wt, b, act);
        if (y == null) {
            return activation(addmm(b, x, wt, 1, 1), act);
        }
        Fusion.countForward();
        Tensor z = y.detach(); // the stand-in for the pre-activation
        recordAddmm(z, b, x, wt, 1, 1);
        return act == UnaryOp.RELU ? Pointwise.recordRelu(z, y) : Pointwise.recordSigmoid(z, y);
    }

    private static Tensor activation(Tensor z, UnaryOp act) {
        return act == UnaryOp.RELU ? Pointwise.relu(z) : Pointwise.sigmoid(z);
    }

    /** torch.matmul: dot, matrix-vector, matrix-matrix, and batched with broadcast batch dimensions. */
    public static Tensor matmul(Tensor a, Tensor b) {
        int da = a.dim();
        int db = b.dim();
        if (da == 0 || db == 0) {
            throw new IllegalArgumentException("both arguments to matmul need to be at least 1D, but they are " + da + "D and " + db + "D");
        }
        if (da == 1 && db == 1) {
            if (a.size(0) != b.size(0)) {
                throw new IllegalArgumentException("inconsistent tensor size, expected tensor [" + a.size(0)
                        + "] and src [" + b.size(0) + "] to have the same number of elements, but got " + a.size(0) + " and " + b.size(0) + " elements respectively");
            }
            return dot(a, b);
        }
        if (da == 2 && db == 1) {
            return mv(a, b);
        }
        if (da == 1 && db == 2) {
            // ATen: mm(a.unsqueeze(0), b).squeeze_(0), the in-place squeeze being SqueezeBackward3
            return Views.squeeze(mm(a.unsqueeze(0), b), 0, "SqueezeBackward3");
        }
        if (da == 2 && db == 2) {
            return mm(a, b);
        }
        if (da == 2 && db >= 3) {
            // ATen 1.13: (b.mT @ a.t()).mT.contiguous(): CloneBackward0, or TransposeBackward0 when already contiguous
            return matmul(b.transpose(-1, -2), a.t()).transpose(-1, -2).contiguous();
        }
        // batched: broadcast the batch dimensions, fold them into one
        Tensor a3 = da == 1 ? a.unsqueeze(0) : a;
        Tensor b3 = db == 1 ? b.unsqueeze(1) : b;
        int n = a3.size(-2);
        int m = a3.size(-1);
        int p = b3.size(-1);
        if (m != b3.size(-2)) {
            throw new IllegalArgumentException("matmul: shapes cannot be multiplied (" + Shapes.format(a.shape()) + " and " + Shapes.format(b.shape()) + ")");
        }
        int[] ba = java.util.Arrays.copyOf(a3.shape(), a3.dim() - 2);
        int[] bb = java.util.Arrays.copyOf(b3.shape(), b3.dim() - 2);
        int[] batch = Shapes.broadcast(ba, bb, "matmul");
        int bn = Shapes.numel(batch);
        int[] ea = concat(batch, n, m);
        int[] eb = concat(batch, m, p);
        // the result shape leaves out the dimensions of 1-D operands; ATen ends with _unsafe_view to it
        int[] outShape = java.util.Arrays.copyOf(batch, batch.length + (da > 1 ? 1 : 0) + (db > 1 ? 1 : 0));
        if (da > 1) {
            outShape[batch.length] = n;
        }
        if (db > 1) {
            outShape[outShape.length - 1] = p;
        }
        if (bb.length == 0 && da >= 3) {
            // [..., n, m] @ [m, p] or [m]: fold the batch into rows, as PyTorch does
            Tensor rows = a3.reshape(-1, m);
            return Views.unsafeView(db == 1 ? mv(rows, b) : mm(rows, b3), outShape);
        }
        Tensor out = bmm(a3.expand(ea).reshape(bn, n, m), b3.expand(eb).reshape(bn, m, p));
        return Views.unsafeView(out, outShape);
    }

    /** [n] · [n] → 0-d (DotBackward0). */
    private static Tensor dot(Tensor a, Tensor b) {
        Tensor y = a.detach().mul(b.detach()).sum();
        return record(y, "DotBackward0", "∂(a·b)/∂a = b, ∂(a·b)/∂b = a", inputs(a, b), saved(a, b),
                (g, s) -> grads(g.mul(s[1]), g.mul(s[0])));
    }

    /** [n, m] @ [m] → [n] (MvBackward0). */
    private static Tensor mv(Tensor a, Tensor v) {
        Tensor y = mm(a.detach(), v.detach().unsqueeze(1)).squeeze(1);
        return record(y, "MvBackward0", "∂(Av)/∂A = g·vᵀ, ∂(Av)/∂v = Aᵀ·g", inputs(a, v), saved(a, v),
                (g, s) -> grads(g.unsqueeze(1).mm(s[1].unsqueeze(0)), s[0].t().matmul(g)));
    }

    private static int[] concat(int[] batch, int x, int y) {
        int[] s = java.util.Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = x;
        s[batch.length + 1] = y;
        return s;
    }

    /** x @ wᵀ + b for x of shape [..., in], w [out, in], b [out] or null (torch.nn.functional.linear). */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        if (x.dim() == 2 && b != null) {
            return addmm(b, x, w.t(), 1, 1);
        }
        if (x.dim() == 3 && b != null && x.isContiguous()) {
            // ATen's fused path for contiguous 3-D input: addmm over the rows, viewed back (ViewBackward0)
            Tensor y = addmm(b, x.view(x.size(0) * x.size(1), x.size(2)), w.t(), 1, 1);
            return y.view(x.size(0), x.size(1), y.size(1));
        }
        Tensor y = matmul(x, w.t());
        return b == null ? y : y.add(b);
    }
}
