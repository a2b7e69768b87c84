package dev.jgrad.cli;

import dev.jgrad.Tensor;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A numeric CSV data set for {@code jgrad train}: a header row, then one row per example; the
 * last {@code targets} columns are targets (one column of integer class indices for
 * cross-entropy), the others features. Features become float32 [N, F] as
 * {@code torch.tensor(np.loadtxt(...), dtype=torch.float32)} makes them (decimal to double, then
 * rounded to float). Malformed files are {@link DataException}s naming file, line and column.
 * <pre>{@code
 * CsvDataset d = CsvDataset.read(Path.of("data.csv"), 1, false, 0);
 * Tensor x = d.features(); // [N, F] float32
 * }</pre>
 */
public final class CsvDataset {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private final List<String> header;
    private final int rows;
    private final Tensor features;
    private final Tensor targets;

    private CsvDataset(List<String> header, int rows, Tensor features, Tensor targets) {
        this.header = header;
        this.rows = rows;
        this.features = features;
        this.targets = targets;
    }

    /** A data file that cannot be used; the message names the file and the place. */
    public static final class DataException extends IOException {
        private static final long serialVersionUID = 1L;

        DataException(String message) {
            super(message);
        }
    }

    /**
     * Reads {@code file}. With {@code classes}, the single target column holds class indices in
     * [0, {@code numClasses}) (any count when {@code numClasses} ≤ 0) and becomes int64 [N];
     * otherwise the targets are float32 [N, targets].
     */
    public static CsvDataset read(Path file, int targets, boolean classes, int numClasses) throws IOException {
        if (classes && targets != 1) {
            throw new DataException("cross-entropy takes one target column of class indices, but --targets is " + targets);
        }
        String text = readText(file);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a UTF-8 byte order mark is not part of the first column's name
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get();
        List<String> header = null;
        int width = 0;
        List<float[]> x = new ArrayList<>();
        List<double[]> y = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(text, format)) {
            for (CSVRecord rec : parser) {
                int line = (int) parser.getCurrentLineNumber() - newlines(rec);
                if (header == null) {
                    header = rec.toList();
                    width = header.size();
                    if (width <= targets) {
                        throw new DataException(file + ": line " + line + ": the header has " + width + " column"
                                + (width == 1 ? "" : "s") + ", so " + targets + " target column" + (targets == 1 ? "" : "s")
                                + " leave no feature columns");
                    }
                    continue;
                }
                if (rec.size() != width) {
                    throw new DataException(file + ": line " + line + ": " + rec.size() + " column" + (rec.size() == 1 ? "" : "s")
                            + " but the header has " + width);
                }
                int nf = width - targets;
                float[] f = new float[nf];
                double[] t = new double[targets];
                for (int c = 0; c < width; c++) {
                    String cell = rec.get(c).strip();
                    String where = file + ": line " + line + ", column " + (c + 1) + " (" + header.get(c) + ")";
                    if (!NUMBER.matcher(cell).matches()) {
                        throw new DataException(where + ": not a number: \"" + rec.get(c) + "\"");
                    }
                    double v = Double.parseDouble(cell);
                    if (Double.isInfinite(v) || (c < nf || !classes) && Float.isInfinite((float) v)) {
                        throw new DataException(where + ": " + cell + " is out of the float32 range");
                    }
                    if (c < nf) {
                        f[c] = (float) v;
                    } else if (classes) {
                        if (v != Math.rint(v)) {
                            throw new DataException(where + ": not an integer class index: \"" + rec.get(c) + "\"");
                        }
                        if (v < 0 || (numClasses > 0 && v >= numClasses)) {
                            throw new DataException(where + ": class index " + cell + " is out of range: the model has "
                                    + numClasses + " outputs, so classes are 0.." + (numClasses - 1));
                        }
                        t[c - nf] = v;
                    } else {
                        t[c - nf] = (float) v;
                    }
                }
                x.add(f);
                y.add(t);
            }
        } catch (java.io.UncheckedIOException | IllegalStateException e) {
            // Commons CSV reports syntax errors (e.g. an unclosed quote) this way
            String m = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            throw new DataException(file + ": invalid CSV: " + m);
        }
        if (header == null) {
            throw new DataException(file + ": empty file (expected a header row and data rows)");
        }
        if (x.isEmpty()) {
            throw new DataException(file + ": no data rows after the header");
        }
        int n = x.size();
        int nf = width - targets;
        float[] xs = new float[n * nf];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x.get(i), 0, xs, i * nf, nf);
        }
        Tensor yt;
        if (classes) {
            long[] ys = new long[n];
            for (int i = 0; i < n; i++) {
                ys[i] = (long) y.get(i)[0];
            }
            yt = Tensor.fromLongs(ys, n);
        } else {
            float[] ys = new float[n * targets];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < targets; j++) {
                    ys[i * targets + j] = (float) y.get(i)[j];
                }
            }
            yt = Tensor.fromFloats(ys, n, targets);
        }
        return new CsvDataset(List.copyOf(header), n, Tensor.fromFloats(xs, n, nf), yt);
    }

    /** Reads a CSV file whose columns are all features (for prediction without targets). */
    public static CsvDataset readFeatures(Path file) throws IOException {
        return read(file, 0, false, 0);
    }

    private static String readText(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DataException(file + ": not valid UTF-8 text");
        }
    }

    /** Line breaks inside quoted cells: the parser's line number is that of the record's last line. */
    private static int newlines(CSVRecord rec) {
        int k = 0;
        for (String v : rec) {
            for (int i = 0; i < v.length(); i++) {
                if (v.charAt(i) == '\n') {
                    k++;
                }
            }
        }
        return k;
    }

    /** The column names. */
    public List<String> header() {
        return header;
    }

    /** The number of examples. */
    public int rows() {
        return rows;
    }

    /** The features, float32 [N, F]. */
    public Tensor features() {
        return features;
    }

    /** The targets: float32 [N, T], or int64 class indices [N]. */
    public Tensor targets() {
        return targets;
    }

    /** The number of feature columns. */
    public int featureCount() {
        return features.shape()[1];
    }
}
