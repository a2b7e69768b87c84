package dev.jgrad.data;

import dev.jgrad.DType;
import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Seeded synthetic 2-D classification sets: features float32 [n, 2], labels int64 [n].
 * {@link #moons}, {@link #circles} and {@link #blobs} are built as scikit-learn's
 * {@code make_moons}, {@code make_circles} and {@code make_blobs} build them (the same points
 * before noise, the same labels, shuffling before adding noise, Gaussian noise of the given
 * standard deviation), so they have sklearn's distributions; the random numbers come from a jgrad
 * {@link Generator} (PyTorch's mt19937), not from NumPy's, so the samples are not sklearn's
 * numbers for the same seed. {@link #spirals} (interleaved arms) and {@link #xor} have no sklearn
 * counterpart. {@link #fromSpec} reads a spec such as {@code moons:1000,noise=0.2}.
 * <pre>{@code
 * TensorDataset ds = Synthetic.moons(1000, 0.1, new Generator(0));
 * Tensor x = ds.tensor(0), y = ds.tensor(1);
 * }</pre>
 */
public final class Synthetic {
    private Synthetic() {
    }

    /** The kinds {@link #fromSpec} knows. */
    public static final String KINDS = "moons, circles, blobs, spirals, xor";

    /**
     * Two interleaving half circles, as {@code make_moons(n, shuffle=True, noise=noise)}: the
     * first n/2 (rounded down) points, class 0, on the upper unit half circle; the others, class
     * 1, on the lower one shifted by (1, 0.5).
     */
    public static TensorDataset moons(int n, double noise, Generator g) {
        check(n, noise);
        int out = n / 2;
        int in = n - out;
        double[] x = new double[2 * n];
        long[] y = new long[n];
        double[] to = linspace(0, Math.PI, out, true);
        double[] ti = linspace(0, Math.PI, in, true);
        for (int i = 0; i < out; i++) {
            x[2 * i] = Math.cos(to[i]);
            x[2 * i + 1] = Math.sin(to[i]);
        }
        for (int i = 0; i < in; i++) {
            x[2 * (out + i)] = 1 - Math.cos(ti[i]);
            x[2 * (out + i) + 1] = 1 - Math.sin(ti[i]) - 0.5;
            y[out + i] = 1;
        }
        return finish(x, y, noise, true, g);
    }

    /**
     * A large circle containing a smaller one, as {@code make_circles(n, shuffle=True, noise=noise,
     * factor=factor)}: n/2 (rounded down) points of class 0 on the unit circle, the others of
     * class 1 on the circle of radius {@code factor} (sklearn's default 0.8).
     */
    public static TensorDataset circles(int n, double noise, double factor, Generator g) {
        check(n, noise);
        if (!(factor >= 0 && factor < 1)) {
            throw new IllegalArgumentException("'factor' has to be between 0 and 1.");
        }
        int out = n / 2;
        int in = n - out;
        double[] x = new double[2 * n];
        long[] y = new long[n];
        double[] to = linspace(0, 2 * Math.PI, out, false);
        double[] ti = linspace(0, 2 * Math.PI, in, false);
        for (int i = 0; i < out; i++) {
            x[2 * i] = Math.cos(to[i]);
            x[2 * i + 1] = Math.sin(to[i]);
        }
        for (int i = 0; i < in; i++) {
            x[2 * (out + i)] = Math.cos(ti[i]) * factor;
            x[2 * (out + i) + 1] = Math.sin(ti[i]) * factor;
            y[out + i] = 1;
        }
        return finish(x, y, noise, true, g);
    }

    /**
     * Gaussian blobs, as {@code make_blobs(n, n_features=2, centers=k, cluster_std=std)}: k centers
     * uniform in [−10, 10)², n/k points per center (the first n mod k centers get one more), each
     * center plus normal noise of standard deviation {@code std}, then shuffled; labels are the
     * center indices.
     */
    public static TensorDataset blobs(int n, int centers, double std, Generator g) {
        check(n, std);
        if (centers < 1) {
            throw new IllegalArgumentException("blobs need at least one center, got " + centers);
        }
        double[] c = new double[2 * centers];
        for (int i = 0; i < c.length; i++) {
            c[i] = g.uniformDouble(-10.0, 10.0);
        }
        double[] x = new double[2 * n];
        long[] y = new long[n];
        int k = 0;
        for (int j = 0; j < centers; j++) {
            int count = n / centers + (j < n % centers ? 1 : 0);
            for (int i = 0; i < count; i++, k++) {
                x[2 * k] = c[2 * j] + std * g.normalDouble();
                x[2 * k + 1] = c[2 * j + 1] + std * g.normalDouble();
                y[k] = j;
            }
        }
        return finish(x, y, 0, true, g);
    }

    /**
     * {@code classes} interleaved spiral arms (the CS231n construction): arm j has n/classes points
     * (the first arms one more when it does not divide) at radius r = linspace(0, 1) and angle
     * t = linspace(4j, 4(j+1)) + noise·N(0, 1), at (r·sin t, r·cos t); then shuffled.
     */
    public static TensorDataset spirals(int n, int classes, double noise, Generator g) {
        check(n, noise);
        if (classes < 2) {
            throw new IllegalArgumentException("spirals need at least 2 classes, got " + classes);
        }
        double[] x = new double[2 * n];
        long[] y = new long[n];
        int k = 0;
        for (int j = 0; j < classes; j++) {
            int count = n / classes + (j < n % classes ? 1 : 0);
            double[] r = linspace(0, 1, count, true);
            double[] t = linspace(4.0 * j, 4.0 * (j + 1), count, true);
            for (int i = 0; i < count; i++, k++) {
                double a = t[i] + (noise > 0 ? noise * g.normalDouble() : 0);
                x[2 * k] = r[i] * Math.sin(a);
                x[2 * k + 1] = r[i] * Math.cos(a);
                y[k] = j;
            }
        }
        return finish(x, y, 0, true, g);
    }

    /**
     * The XOR problem: points uniform in [−1, 1)², class 1 where exactly one coordinate is
     * positive, then Gaussian noise of standard deviation {@code noise} added to the points.
     */
    public static TensorDataset xor(int n, double noise, Generator g) {
        check(n, noise);
        double[] x = new double[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = g.uniformDouble(-1.0, 1.0);
            x[2 * i + 1] = g.uniformDouble(-1.0, 1.0);
            y[i] = (x[2 * i] > 0) != (x[2 * i + 1] > 0) ? 1 : 0;
        }
        return finish(x, y, noise, false, g);
    }

    /**
     * A data set from a spec {@code KIND:N[,key=value...]}: {@code moons:1000,noise=0.1},
     * {@code circles:500,noise=0.05,factor=0.5}, {@code blobs:600,centers=4,std=1.5},
     * {@code spirals:900,classes=3,noise=0.2}, {@code xor:400,noise=0.1}. Defaults: noise 0.1
     * (moons, circles, xor), 0.2 (spirals); factor 0.5; centers 3; std 1.0; classes 2.
     */
    public static TensorDataset fromSpec(String spec, Generator g) {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String[] parts = colon < 0 ? new String[0] : spec.substring(colon + 1).split(",", -1);
        if (parts.length == 0 || parts[0].isBlank()) {
            throw new IllegalArgumentException("synthetic data '" + spec + "' needs a size: " + kind + ":N (e.g. moons:1000)");
        }
        int n;
        try {
            n = Integer.parseInt(parts[0].strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("synthetic data '" + spec + "': the size '" + parts[0] + "' is not an integer");
        }
        Map<String, Double> opts = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("synthetic data '" + spec + "': expected key=value, got '" + parts[i] + "'");
            }
            try {
                opts.put(kv[0].strip(), Double.parseDouble(kv[1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("synthetic data '" + spec + "': " + kv[0].strip() + "=" + kv[1] + " is not a number");
            }
        }
        switch (kind) {
            case "moons": known(spec, opts, "noise"); return moons(n, opts.getOrDefault("noise", 0.1), g);
            case "circles": known(spec, opts, "noise", "factor");
                return circles(n, opts.getOrDefault("noise", 0.1), opts.getOrDefault("factor", 0.5), g);
            case "blobs": known(spec, opts, "centers", "std");
                return blobs(n, whole(spec, "centers", opts.getOrDefault("centers", 3.0)), opts.getOrDefault("std", 1.0), g);
            case "spirals": known(spec, opts, "classes", "noise");
                return spirals(n, whole(spec, "classes", opts.getOrDefault("classes", 2.0)), opts.getOrDefault("noise", 0.2), g);
            case "xor": known(spec, opts, "noise"); return xor(n, opts.getOrDefault("noise", 0.1), g);
            default:
                throw new IllegalArgumentException("unknown synthetic data '" + kind + "' (known: " + KINDS + ")");
        }
    }

    /** Whether {@code spec} names a synthetic set (it is, or starts with, one of {@link #KINDS} and a colon). */
    public static boolean isSpec(String spec) {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        return java.util.List.of("moons", "circles", "blobs", "spirals", "xor").contains(kind);
    }

    private static void known(String spec, Map<String, Double> opts, String... keys) {
        for (String k : opts.keySet()) {
            if (!java.util.List.of(keys).contains(k)) {
                throw new IllegalArgumentException("synthetic data '" + spec + "': unknown option '" + k + "' (known: "
                        + String.join(", ", keys) + ")");
            }
        }
    }

    private static int whole(String spec, String key, double v) {
        if (v != Math.rint(v)) {
            throw new IllegalArgumentException("synthetic data '" + spec + "': " + key + " must be an integer, got " + v);
        }
        return (int) v;
    }

    private static void check(int n, double noise) {
        if (n < 1) {
            throw new IllegalArgumentException("a synthetic data set needs at least one sample, got " + n);
        }
        if (!(noise >= 0)) {
            throw new IllegalArgumentException("noise must be a non-negative standard deviation, got " + noise);
        }
    }

    /** numpy.linspace: start + i·step, with the last value exactly {@code stop} when {@code endpoint}. */
    static double[] linspace(double start, double stop, int num, boolean endpoint) {
        double[] y = new double[num];
        int div = endpoint ? num - 1 : num;
        double delta = stop - start;
        double step = div > 0 ? delta / div : Double.NaN;
        for (int i = 0; i < num; i++) {
            y[i] = (div > 0 ? i * step : i * delta) + start;
        }
        if (endpoint && num > 1) {
            y[num - 1] = stop;
        }
        return y;
    }

    /** Optionally shuffles the rows (randperm), then adds noise·N(0, 1) to every coordinate; float32 features. */
    private static TensorDataset finish(double[] x, long[] y, double noise, boolean shuffle, Generator g) {
        int n = y.length;
        if (shuffle) {
            long[] p = Jgrad.randperm(n, g).toLongArray();
            double[] xs = new double[x.length];
            long[] ys = new long[n];
            for (int i = 0; i < n; i++) {
                int j = (int) p[i];
                xs[2 * i] = x[2 * j];
                xs[2 * i + 1] = x[2 * j + 1];
                ys[i] = y[j];
            }
            x = xs;
            y = ys;
        }
        if (noise > 0) {
            for (int i = 0; i < x.length; i++) {
                x[i] += noise * g.normalDouble();
            }
        }
        Tensor features = Tensor.fromDoubles(x, n, 2).to(DType.FLOAT32);
        return new TensorDataset(features, Tensor.fromLongs(y, n));
    }
}
