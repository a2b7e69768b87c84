package dev.jgrad.kernel;

/** Element-wise functions of two arguments; comparisons give 1 or 0 (stored as bool). */
public enum BinaryOp {
    ADD { @Override public double apply(double a, double b) { return a + b; } },
    SUB { @Override public double apply(double a, double b) { return a - b; } },
    MUL { @Override public double apply(double a, double b) { return a * b; } },
    DIV { @Override public double apply(double a, double b) { return a / b; } },
    POW { @Override public double apply(double a, double b) { return Math.pow(a, b); } },
    MAXIMUM { @Override public double apply(double a, double b) { return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b); } },
    MINIMUM { @Override public double apply(double a, double b) { return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b); } },
    EQ { @Override public double apply(double a, double b) { return a == b ? 1 : 0; } },
    NE { @Override public double apply(double a, double b) { return a != b ? 1 : 0; } },
    LT { @Override public double apply(double a, double b) { return a < b ? 1 : 0; } },
    LE { @Override public double apply(double a, double b) { return a <= b ? 1 : 0; } },
    GT { @Override public double apply(double a, double b) { return a > b ? 1 : 0; } },
    GE { @Override public double apply(double a, double b) { return a >= b ? 1 : 0; } };

    /** The result in double; for float32 operands the caller rounds once, which for + - * / equals float arithmetic. */
    public abstract double apply(double a, double b);

    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }
}
