package dev.jgrad.kernel;

/**
 * Element-wise functions of one argument. {@link #apply(double)} is the float64 definition;
 * {@link #apply(float)} the float32 one, which follows PyTorch's float arithmetic step by step
 * where a single rounding of the double result would differ (e.g. sigmoid).
 */
public enum UnaryOp {
    NEG { @Override public double apply(double x) { return -x; } },
    EXP { @Override public double apply(double x) { return Math.exp(x); } },
    LOG { @Override public double apply(double x) { return Math.log(x); } },
    LOG1P { @Override public double apply(double x) { return Math.log1p(x); } },
    SQRT { @Override public double apply(double x) { return Math.sqrt(x); } },
    ABS { @Override public double apply(double x) { return Math.abs(x); } },
    SIN { @Override public double apply(double x) { return Math.sin(x); } },
    COS { @Override public double apply(double x) { return Math.cos(x); } },
    TANH { @Override public double apply(double x) { return Math.tanh(x); } },
    SIGN { @Override public double apply(double x) { return Double.isNaN(x) ? x : Math.signum(x); } },
    RELU { @Override public double apply(double x) { return x <= 0 ? 0.0 : x; } },
    SIGMOID {
        @Override public double apply(double x) { return 1.0 / (1.0 + Math.exp(-x)); }
        @Override public float apply(float x) { return 1f / (1f + (float) Math.exp(-x)); }
    },
    /** Standard normal CDF Φ(x) = (1 + erf(x/√2)) / 2, used by GELU. */
    NORMAL_CDF { @Override public double apply(double x) { return 0.5 * (1.0 + Erf.erf(x * 0.7071067811865476)); } },
    /** Standard normal density φ(x) = exp(-x²/2)/√(2π). */
    NORMAL_PDF { @Override public double apply(double x) { return Math.exp(-0.5 * x * x) * 0.3989422804014327; } },
    RECIPROCAL { @Override public double apply(double x) { return 1.0 / x; } },
    SQUARE { @Override public double apply(double x) { return x * x; } };

    public abstract double apply(double x);

    public float apply(float x) {
        return (float) apply((double) x);
    }
}
