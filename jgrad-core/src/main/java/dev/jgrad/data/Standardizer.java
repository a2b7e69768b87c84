package dev.jgrad.data;

import dev.jgrad.DType;
import dev.jgrad.Tensor;

/**
 * Per-column standardisation, as scikit-learn's {@code StandardScaler}: {@link #fit} takes each
 * column's mean and population standard deviation (ddof = 0, computed in double precision);
 * {@link #transform} gives {@code (x − mean) / std} in x's dtype; a column with zero spread keeps
 * scale 1. Fit it on the training data and apply the same statistics to validation and test data.
 * <pre>{@code
 * Standardizer s = Standardizer.fit(trainX);          // trainX [N, F]
 * Tensor xs = s.transform(trainX), vs = s.transform(valX);
 * }</pre>
 */
public final class Standardizer {
    private final double[] mean;
    private final double[] scale;

    public Standardizer(double[] mean, double[] scale) {
        if (mean.length != scale.length) {
            throw new IllegalArgumentException("mean has " + mean.length + " values but scale has " + scale.length);
        }
        for (double s : scale) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("scales must be positive and finite, got " + s);
            }
        }
        this.mean = mean.clone();
        this.scale = scale.clone();
    }

    /** The statistics of the columns of {@code x} [N, F] (N ≥ 1). */
    public static Standardizer fit(Tensor x) {
        if (x.dim() != 2 || x.shape()[0] == 0) {
            throw new IllegalArgumentException("Standardizer.fit expects a non-empty [N, F] tensor, got " + x.shapeString());
        }
        int n = x.shape()[0];
        int f = x.shape()[1];
        double[] v = x.toDoubleArray();
        double[] mean = new double[f];
        double[] var = new double[f];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                mean[j] += v[i * f + j];
            }
        }
        for (int j = 0; j < f; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                double d = v[i * f + j] - mean[j];
                var[j] += d * d;
            }
        }
        double[] scale = new double[f];
        for (int j = 0; j < f; j++) {
            double s = Math.sqrt(var[j] / n);
            scale[j] = s > 0 && Double.isFinite(s) ? s : 1.0;
        }
        return new Standardizer(mean, scale);
    }

    /** {@code (x − mean) / scale} per column, in x's floating dtype (float32 for integer input). */
    public Tensor transform(Tensor x) {
        check(x);
        DType dt = x.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
        Tensor m = Tensor.fromDoubles(mean, mean.length).to(dt);
        Tensor s = Tensor.fromDoubles(scale, scale.length).to(dt);
        return x.to(dt).sub(m).div(s);
    }

    /** {@code x · scale + mean}: the inverse of {@link #transform}. */
    public Tensor inverseTransform(Tensor x) {
        check(x);
        DType dt = x.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
        return x.to(dt).mul(Tensor.fromDoubles(scale, scale.length).to(dt)).add(Tensor.fromDoubles(mean, mean.length).to(dt));
    }

    private void check(Tensor x) {
        if (x.dim() != 2 || x.shape()[1] != mean.length) {
            throw new IllegalArgumentException("the standardizer was fitted on " + mean.length + " columns; got a tensor of shape "
                    + x.shapeString());
        }
    }

    /** The column means (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** The column scales, standard deviations or 1 (a copy). */
    public double[] scale() {
        return scale.clone();
    }
}
