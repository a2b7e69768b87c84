package dev.jgrad.nn;

import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.GradMode;

/**
 * Parameter initialisation, as {@code torch.nn.init}: uniform, normal, constant, Kaiming and
 * Xavier, with PyTorch's fan and gain computations. All write in place without recording.
 * <pre>{@code
 * Init.kaimingUniform_(w, Math.sqrt(5), Jgrad.defaultGenerator());
 * Init.zeros_(b);
 * }</pre>
 */
public final class Init {
    private Init() {
    }

    /** [fan_in, fan_out] of a weight of at least 2 dimensions. */
    public static int[] fanInAndFanOut(Tensor t) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
        }
        int receptive = 1;
        for (int d = 2; d < t.dim(); d++) {
            receptive *= t.size(d);
        }
        return new int[] {t.size(1) * receptive, t.size(0) * receptive};
    }

    /** PyTorch's calculate_gain for the non-linearities that take a parameter or not. */
    public static double calculateGain(String nonlinearity, double param) {
        switch (nonlinearity) {
            case "linear": case "conv1d": case "conv2d": case "conv3d": case "sigmoid":
                return 1.0;
            case "tanh":
                return 5.0 / 3;
            case "relu":
                return Math.sqrt(2.0);
            case "leaky_relu":
                return Math.sqrt(2.0 / (1 + param * param));
            case "selu":
                return 3.0 / 4;
            default:
                throw new IllegalArgumentException("Unsupported nonlinearity " + nonlinearity);
        }
    }

    public static Tensor uniform_(Tensor t, double from, double to, Generator g) {
        try (var s = GradMode.noGrad()) {
            g.fillUniform(t, from, to);
        }
        return t;
    }

    public static Tensor uniform_(Tensor t, double from, double to) {
        return uniform_(t, from, to, Jgrad.defaultGenerator());
    }

    public static Tensor normal_(Tensor t, double mean, double std, Generator g) {
        try (var s = GradMode.noGrad()) {
            g.fillNormal(t, mean, std);
        }
        return t;
    }

    public static Tensor constant_(Tensor t, double value) {
        try (var s = GradMode.noGrad()) {
            t.fill_(value);
        }
        return t;
    }

    public static Tensor zeros_(Tensor t) {
        return constant_(t, 0.0);
    }

    public static Tensor ones_(Tensor t) {
        return constant_(t, 1.0);
    }

    /** Kaiming-uniform on fan_in for leaky_relu with slope {@code a}: bound = √3 · gain / √fan_in. */
    public static Tensor kaimingUniform_(Tensor t, double a, Generator g) {
        int fan = fanInAndFanOut(t)[0];
        double gain = calculateGain("leaky_relu", a);
        double std = gain / Math.sqrt(fan);
        double bound = Math.sqrt(3.0) * std;
        return uniform_(t, -bound, bound, g);
    }

    /** Xavier-uniform: bound = gain · √(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform_(Tensor t, double gain, Generator g) {
        int[] f = fanInAndFanOut(t);
        double std = gain * Math.sqrt(2.0 / (f[0] + f[1]));
        double a = Math.sqrt(3.0) * std;
        return uniform_(t, -a, a, g);
    }
}
