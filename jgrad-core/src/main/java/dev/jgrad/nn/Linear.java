package dev.jgrad.nn;

import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;

/**
 * Fully connected layer {@code y = x · Wᵀ + b}: input [..., in], weight [out, in], bias [out],
 * output [..., out]. Initialised as PyTorch does: weight kaiming-uniform with a = √5, bias
 * uniform in ±1/√in.
 * <pre>{@code
 * Linear fc = new Linear(2, 3);
 * Tensor z = fc.forward(x); // x [batch, 2] -> z [batch, 3]
 * }</pre>
 */
public class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    public final Parameter weight;
    public final Parameter bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, Jgrad.defaultGenerator());
    }

    /** A layer initialised from {@code generator}. */
    public Linear(int inFeatures, int outFeatures, boolean bias, Generator generator) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: sizes must be non-negative, got in_features=" + inFeatures
                    + ", out_features=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", new Parameter(Jgrad.zeros(outFeatures, inFeatures)));
        this.bias = bias ? registerParameter("bias", new Parameter(Jgrad.zeros(outFeatures))) : null;
        resetParameters(generator);
    }

    /** Re-draws the parameters as PyTorch's reset_parameters: weight first, then bias. */
    public void resetParameters(Generator generator) {
        Init.kaimingUniform_(weight, Math.sqrt(5), generator);
        if (bias != null) {
            int fanIn = inFeatures;
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform_(bias, -bound, bound, generator);
        }
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.linear(input, weight, bias);
    }

    @Override
    public String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + py(bias != null);
    }
}
