package dev.jgrad.cli;

import dev.jgrad.Tensor;
import dev.jgrad.data.CsvReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A numeric CSV data set for {@code jgrad train}: a header row, then one row per example; the
 * last {@code targets} columns are targets (one column of integer class indices for
 * cross-entropy), the others features. A thin adapter over {@link CsvReader}, which parses the
 * file and reports malformed ones as {@link dev.jgrad.data.DataFormatException}s naming file, line
 * and column.
 * <pre>{@code
 * CsvDataset d = CsvDataset.read(Path.of("data.csv"), 1, false, 0);
 * Tensor x = d.features(); // [N, F] float32
 * }</pre>
 */
public final class CsvDataset {
    private final CsvReader.Table table;

    private CsvDataset(CsvReader.Table table) {
        this.table = table;
    }

    /**
     * Reads {@code file}. With {@code classes}, the single target column holds class indices in
     * [0, {@code numClasses}) (any count when {@code numClasses} ≤ 0; the bound is the model's
     * output count) and becomes int64 [N]; otherwise the targets are float32 [N, targets].
     */
    public static CsvDataset read(Path file, int targets, boolean classes, int numClasses) throws IOException {
        if (classes && targets != 1) {
            throw new IllegalArgumentException("cross-entropy takes one target column of class indices, but --targets is " + targets);
        }
        CsvReader r = CsvReader.of(file).targets(targets);
        if (classes) {
            r.classes(numClasses, "the model has " + numClasses + " outputs");
        }
        return new CsvDataset(r.read());
    }

    /** Reads a CSV file whose columns are all features (for prediction without targets). */
    public static CsvDataset readFeatures(Path file) throws IOException {
        return read(file, 0, false, 0);
    }

    /** The column names. */
    public List<String> header() {
        return table.header();
    }

    /** The number of examples. */
    public int rows() {
        return table.rows();
    }

    /** The features, float32 [N, F]. */
    public Tensor features() {
        return table.features();
    }

    /** The targets: float32 [N, T], int64 class indices [N], or null when there are none. */
    public Tensor targets() {
        return table.targets();
    }

    /** The number of feature columns. */
    public int featureCount() {
        return table.featureNames().size();
    }
}
