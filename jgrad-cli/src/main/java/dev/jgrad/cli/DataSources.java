package dev.jgrad.cli;

import dev.jgrad.DType;
import dev.jgrad.Generator;
import dev.jgrad.Tensor;
import dev.jgrad.data.DataFormatException;
import dev.jgrad.data.Idx;
import dev.jgrad.data.Npy;
import dev.jgrad.data.Synthetic;
import dev.jgrad.data.TensorDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The data sets {@code --data} (and {@code --val-data}) name:
 * <ul>
 * <li>{@code D.csv} (any single file): CSV with a header, the last {@code --targets} columns targets;</li>
 * <li>{@code X,Y}: two files of features and labels, each IDX (optionally gzip) or {@code .npy},
 *     recognised by their first bytes; unsigned-byte IDX features (images) are scaled to [0, 1]
 *     (divided by 255), and features of more than two dimensions are flattened to [N, F];</li>
 * <li>{@code fashion-mnist:train} / {@code fashion-mnist:test}, optionally {@code :N} for the first
 *     N examples: the Debian package {@code dataset-fashion-mnist}'s IDX files;</li>
 * <li>{@code moons:1000}, {@code circles:...}, {@code blobs:...}, {@code spirals:...}, {@code xor:...}:
 *     synthetic sets ({@link Synthetic#fromSpec}), drawn from a generator of their own seeded with
 *     {@code seed=S} in the spec, or else the seed the caller gives.</li>
 * </ul>
 * Labels from pairs and synthetic sets are class indices: int64 [N] for cross-entropy, float32
 * [N, 1] for the other losses (0/1 targets of bce).
 * <pre>{@code
 * Loaded d = DataSources.load("moons:500", null, "cross-entropy", 2, 0);
 * }</pre>
 */
final class DataSources {
    /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
    static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private DataSources() {
    }

    /** A data set and a short description for messages. */
    record Loaded(TensorDataset dataset, String description, boolean labelled) {
        Tensor features() {
            return dataset.tensor(0);
        }

        Tensor targets() {
            return labelled ? dataset.tensor(1) : null;
        }

        int rows() {
            return dataset.size();
        }

        int featureCount() {
            return features().shape()[1];
        }
    }

    /** Fashion-MNIST's folder: {@code $JGRAD_FASHION_MNIST} if set, else the Debian package's. */
    static Path fashionMnistDir() {
        String env = System.getenv("JGRAD_FASHION_MNIST");
        return env != null && !env.isEmpty() ? Path.of(env) : FASHION_MNIST;
    }

    /**
     * Loads {@code spec}. {@code targets} is the CSV target count (null: a CSV without targets,
     * only for prediction); {@code loss} decides the type of class labels; {@code numClasses} (≤ 0:
     * unknown) bounds class indices; {@code seed} seeds synthetic sets without {@code seed=}.
     */
    static Loaded load(String spec, Integer targets, String loss, int numClasses, long seed) throws IOException {
        boolean classes = "cross-entropy".equals(loss);
        if (Synthetic.isSpec(spec)) {
            return synthetic(spec, classes, seed);
        }
        if (spec.startsWith("fashion-mnist")) {
            return fashionMnist(spec, classes);
        }
        int comma = spec.indexOf(',');
        if (comma > 0 && !Files.exists(Path.of(spec))) {
            return pair(Path.of(spec.substring(0, comma)), Path.of(spec.substring(comma + 1)), classes, numClasses, spec);
        }
        Path file = Path.of(spec);
        if (targets == null) {
            CsvDataset d = CsvDataset.readFeatures(file);
            return new Loaded(new TensorDataset(d.features()), file.toString(), false);
        }
        CsvDataset d = CsvDataset.read(file, targets, classes, numClasses);
        return new Loaded(new TensorDataset(d.features(), d.targets()), file + " (" + d.rows() + " rows)", true);
    }

    private static Loaded synthetic(String spec, boolean classes, long seed) {
        List<String> parts = new ArrayList<>(List.of(spec.split(",", -1)));
        long s = seed;
        for (int i = parts.size() - 1; i >= 1; i--) {
            if (parts.get(i).strip().startsWith("seed=")) {
                String v = parts.get(i).strip().substring(5);
                try {
                    s = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("synthetic data '" + spec + "': seed=" + v + " is not an integer");
                }
                parts.remove(i);
            }
        }
        TensorDataset ds = Synthetic.fromSpec(String.join(",", parts), new Generator(s));
        return new Loaded(labels(ds.tensor(0), ds.tensor(1), classes), spec + " (seed " + s + ")", true);
    }

    private static Loaded fashionMnist(String spec, boolean classes) throws IOException {
        String[] p = spec.split(":");
        if (p.length < 2 || p.length > 3 || !p[0].equals("fashion-mnist") || !(p[1].equals("train") || p[1].equals("test"))) {
            throw new IllegalArgumentException("--data " + spec + ": expected fashion-mnist:train or fashion-mnist:test, optionally :N");
        }
        Path dir = fashionMnistDir();
        String prefix = p[1].equals("train") ? "train" : "t10k";
        Path images = dir.resolve(prefix + "-images-idx3-ubyte.gz");
        Path labels = dir.resolve(prefix + "-labels-idx1-ubyte.gz");
        if (!Files.exists(images) || !Files.exists(labels)) {
            throw new NoSuchFileException(images + ": no such file (Fashion-MNIST is installed by: apt-get install dataset-fashion-mnist)");
        }
        Loaded all = pair(images, labels, classes, 10, spec);
        if (p.length == 3) {
            int n;
            try {
                n = Integer.parseInt(p[2]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--data " + spec + ": the count '" + p[2] + "' is not an integer");
            }
            if (n < 1 || n > all.rows()) {
                throw new IllegalArgumentException("--data " + spec + ": the count must be between 1 and " + all.rows());
            }
            Tensor x = all.features().narrow(0, 0, n).contiguous();
            Tensor y = all.targets().narrow(0, 0, n).contiguous();
            return new Loaded(new TensorDataset(x, y), spec + " (first " + n + " of " + all.rows() + ")", true);
        }
        return new Loaded(all.dataset(), spec + " (" + all.rows() + " examples)", true);
    }

    private static Loaded pair(Path xf, Path yf, boolean classes, int numClasses, String spec) throws IOException {
        Tensor x = readArray(xf, true);
        Tensor y = readArray(yf, false);
        if (x.dim() == 0 || y.dim() == 0 || x.shape()[0] != y.shape()[0]) {
            throw new DataFormatException(spec + ": " + xf + " has shape " + x.shapeString() + " but " + yf + " has shape "
                    + y.shapeString() + ": they must have the same number of examples (first dimension)");
        }
        if (x.dim() != 2) {
            x = x.reshape(x.shape()[0], -1);
        }
        if (x.dtype() != DType.FLOAT32) {
            x = x.to(DType.FLOAT32);
        }
        if (y.dim() == 2 && y.shape()[1] == 1) {
            y = y.reshape(-1);
        }
        if (y.dim() != 1 || y.dtype() == DType.FLOAT32 || y.dtype() == DType.FLOAT64) {
            if (!classes && y.dtype() != DType.INT64) {
                return new Loaded(new TensorDataset(x, y.dim() == 1 ? y.to(DType.FLOAT32).reshape(-1, 1) : y.to(DType.FLOAT32)),
                        spec + " (" + x.shape()[0] + " examples)", true);
            }
            throw new DataFormatException(yf + ": labels must be integer class indices of shape [N], got " + y.typeName()
                    + " " + y.shapeString());
        }
        long[] v = y.toLongArray();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || (numClasses > 0 && v[i] >= numClasses)) {
                throw new DataFormatException(yf + ": label " + i + " is " + v[i] + ", out of range: "
                        + (numClasses > 0 ? "the model has " + numClasses + " outputs, so classes are 0.." + (numClasses - 1)
                        : "class indices are not negative"));
            }
        }
        return new Loaded(labels(x, y, classes), spec + " (" + x.shape()[0] + " examples)", true);
    }

    /** Class labels as cross-entropy takes them (int64 [N]) or as 0/1 targets [N, 1] of the other losses. */
    private static TensorDataset labels(Tensor x, Tensor y, boolean classes) {
        return new TensorDataset(x, classes ? y : y.to(DType.FLOAT32).reshape(-1, 1));
    }

    /** An IDX or .npy array, by its first bytes; unsigned-byte IDX features are scaled to [0, 1]. */
    private static Tensor readArray(Path file, boolean features) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file + ": no such file");
        }
        byte[] head = new byte[6];
        int n;
        try (var in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 6);
        }
        if (n == 6 && (head[0] & 0xff) == 0x93 && head[1] == 'N' && head[2] == 'U') {
            return Npy.read(file);
        }
        boolean gz = n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
        boolean idx = n >= 4 && head[0] == 0 && head[1] == 0;
        if (!gz && !idx) {
            throw new DataFormatException(file + ": neither an IDX file (optionally gzip-compressed) nor a .npy file");
        }
        return features && Idx.typeCode(file) == 0x08 ? Idx.readScaled(file, 255) : Idx.read(file);
    }
}
