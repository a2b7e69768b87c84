package dev.jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.data.Npy;
import dev.jgrad.data.Synthetic;
import dev.jgrad.data.TensorDataset;
import dev.jgrad.io.Safetensors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jgrad train} with IDX and .npy pairs, synthetic sets, validation, early stopping,
 * schedulers and plots; {@code jgrad predict} and {@code jgrad eval}; and their option errors.
 */
class DataCommandsTest {
    static final String CLASSIFIER = "{\"layers\": [{\"type\": \"linear\", \"in\": 2, \"out\": 12}, {\"type\": \"tanh\"},"
            + " {\"type\": \"linear\", \"in\": 12, \"out\": 2}]}";
    static final String BINARY = "{\"layers\": [{\"type\": \"linear\", \"in\": 2, \"out\": 8}, {\"type\": \"relu\"},"
            + " {\"type\": \"linear\", \"in\": 8, \"out\": 1}, {\"type\": \"sigmoid\"}]}";

    @TempDir
    Path dir;
    Path model;
    String out;
    String err;

    @BeforeEach
    void spec() throws IOException {
        model = Files.writeString(dir.resolve("m.json"), CLASSIFIER);
    }

    int jgrad(List<String> args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args.toArray(new String[0]));
        out = o.toString();
        err = e.toString();
        return code;
    }

    void ok(List<String> args) {
        assertThat(jgrad(args)).as("jgrad %s: %s", args, err).isZero();
    }

    List<String> train(String data, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--model", model.toString(), "--data", data, "--loss", "cross-entropy",
                "--optimizer", "adam", "--lr", "0.05", "--epochs", "8", "--batch-size", "20", "--seed", "1", "--progress", "none",
                "--save", dir.resolve("w.safetensors").toString(), "--history-csv", dir.resolve("h.csv").toString()));
        for (int i = 0; i < extra.length; i++) {
            String opt = extra[i];
            boolean hasValue = i + 1 < extra.length && !extra[i + 1].startsWith("--");
            int at = a.indexOf(opt);
            if (hasValue && at >= 0) {
                a.set(at + 1, extra[++i]); // replaces the value given above
            } else if (hasValue) {
                a.add(opt);
                a.add(extra[++i]);
            } else {
                a.add(opt);
            }
        }
        return a;
    }

    List<String> history() throws IOException {
        return Files.readAllLines(dir.resolve("h.csv"));
    }

    double last(String column) throws IOException {
        List<String> rows = history();
        int c = Arrays.asList(rows.get(0).split(",")).indexOf(column);
        assertThat(c).as("column %s in %s", column, rows.get(0)).isNotNegative();
        return Double.parseDouble(rows.get(rows.size() - 1).split(",")[c]);
    }

    static byte[] idx(Tensor t, boolean bytes) {
        int[] s = t.shape();
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * s.length + t.numel() * (bytes ? 1 : 4));
        b.put((byte) 0).put((byte) 0).put((byte) (bytes ? 0x08 : 0x0D)).put((byte) s.length);
        for (int d : s) {
            b.putInt(d);
        }
        for (double v : t.toDoubleArray()) {
            if (bytes) {
                b.put((byte) v);
            } else {
                b.putFloat((float) v);
            }
        }
        return b.array();
    }

    @Test
    void idxAndNpyPairsTrainAsTheSameTensorsDo() throws IOException {
        TensorDataset ds = Synthetic.blobs(200, 2, 1.0, new Generator(4));
        Files.write(dir.resolve("x.idx"), idx(ds.tensor(0), false));
        Files.write(dir.resolve("y.idx"), idx(ds.tensor(1), true));
        Npy.write(dir.resolve("x.npy"), ds.tensor(0));
        Npy.write(dir.resolve("y.npy"), ds.tensor(1));
        ok(train(dir.resolve("x.idx") + "," + dir.resolve("y.idx"), "--val-split", "0.25", "--log-csv", dir.resolve("a.csv").toString()));
        assertThat(last("val_accuracy")).as("blobs 6 apart are separable").isGreaterThanOrEqualTo(0.95);
        byte[] idxWeights = Files.readAllBytes(dir.resolve("w.safetensors"));
        ok(train(dir.resolve("x.npy") + "," + dir.resolve("y.npy"), "--val-split", "0.25", "--log-csv", dir.resolve("b.csv").toString()));
        assertThat(Files.readString(dir.resolve("b.csv"))).isEqualTo(Files.readString(dir.resolve("a.csv")));
        assertThat(Files.readAllBytes(dir.resolve("w.safetensors"))).isEqualTo(idxWeights);
        Files.write(dir.resolve("y3.npy"), Npy.serialize(Jgrad.arange(3)));
        assertThat(jgrad(train(dir.resolve("x.npy") + "," + dir.resolve("y3.npy")))).isEqualTo(2);
        assertThat(err).contains("has shape [200, 2] but").contains("y3.npy has shape [3]: they must have the same number of examples");
        Files.write(dir.resolve("y9.npy"), Npy.serialize(Jgrad.full(new int[] {200}, 9, dev.jgrad.DType.INT64)));
        assertThat(jgrad(train(dir.resolve("x.npy") + "," + dir.resolve("y9.npy")))).isEqualTo(2);
        assertThat(err).contains("y9.npy: label 0 is 9, out of range: the model has 2 outputs, so classes are 0..1");
        Files.writeString(dir.resolve("text.txt"), "hello");
        assertThat(jgrad(train(dir.resolve("text.txt") + "," + dir.resolve("y.npy")))).isEqualTo(2);
        assertThat(err).contains("text.txt: neither an IDX file (optionally gzip-compressed) nor a .npy file");
    }

    @Test
    void syntheticDataValidationMetricsPlotsPredictAndEval() throws IOException {
        Path plots = dir.resolve("plots");
        ok(train("moons:400,noise=0.1", "--val-data", "moons:200,noise=0.1", "--metrics", "accuracy,precision,recall,f1,confusion",
                "--standardize", "--plots", plots.toString()));
        assertThat(history().get(0)).isEqualTo("epoch,train_loss,train_accuracy,val_loss,val_accuracy,val_precision,val_recall,val_f1,lr");
        assertThat(history()).hasSize(9);
        double acc = last("val_accuracy");
        assertThat(acc).isGreaterThanOrEqualTo(0.85);
        assertThat(out).contains("confusion matrix of the validation data").contains("true\\pred");
        for (String f : List.of("loss", "accuracy", "boundary")) {
            byte[] png = Files.readAllBytes(plots.resolve(f + ".png"));
            assertThat(Arrays.copyOf(png, 4)).containsExactly(0x89, 'P', 'N', 'G');
            assertThat(Files.readString(plots.resolve(f + ".svg"))).contains("<svg");
        }
        assertThat(Safetensors.read(dir.resolve("w.safetensors")).metadata()).containsKey("jgrad.standardize");

        // eval on the validation set (seed of --val-data: --seed + 1) applies the saved standardisation
        ok(List.of("eval", "--model", model.toString(), "--weights", dir.resolve("w.safetensors").toString(), "--data", "moons:200,noise=0.1",
                "--seed", "2"));
        assertThat(out).contains(String.format(java.util.Locale.ROOT, "accuracy  %.4f", acc)).contains("f1").contains("confusion matrix");

        Path preds = dir.resolve("p.csv");
        ok(List.of("predict", "--model", model.toString(), "--weights", dir.resolve("w.safetensors").toString(), "--data",
                "moons:200,noise=0.1,seed=2", "--out", preds.toString()));
        List<String> rows = Files.readAllLines(preds);
        assertThat(rows).hasSize(201);
        assertThat(rows.get(0)).isEqualTo("row,predicted,target,p0,p1");
        long right = rows.stream().skip(1).filter(r -> r.split(",")[1].equals(r.split(",")[2])).count();
        assertThat(right / 200.0).isEqualTo(acc);
        assertThat(out).contains("wrote 200 predictions to " + preds).contains(String.format(java.util.Locale.ROOT, "accuracy  %.4f", acc));
    }

    @Test
    void binaryCsvPredictWithoutTargetsAndRegressionMetrics() throws IOException {
        model = Files.writeString(dir.resolve("b.json"), BINARY);
        StringBuilder csv = new StringBuilder("a,b,y\n");
        StringBuilder features = new StringBuilder("a,b\n");
        TensorDataset ds = Synthetic.xor(120, 0.05, new Generator(8));
        float[] x = ds.tensor(0).toFloatArray();
        long[] y = ds.tensor(1).toLongArray();
        for (int i = 0; i < 120; i++) {
            csv.append(x[2 * i]).append(',').append(x[2 * i + 1]).append(',').append(y[i]).append('\n');
            features.append(x[2 * i]).append(',').append(x[2 * i + 1]).append('\n');
        }
        Path data = Files.writeString(dir.resolve("d.csv"), csv.toString());
        Path feats = Files.writeString(dir.resolve("f.csv"), features.toString());
        List<String> a = train(data.toString(), "--targets", "1", "--val-split", "0.2");
        a.set(a.indexOf("cross-entropy"), "bce");
        ok(a);
        assertThat(history().get(0)).isEqualTo("epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr");
        ok(List.of("predict", "--model", model.toString(), "--weights", dir.resolve("w.safetensors").toString(), "--data", feats.toString()));
        assertThat(out.split("\n")).hasSize(121);
        assertThat(out).startsWith("row,predicted,p1\n0,");
        assertThat(jgrad(List.of("eval", "--model", model.toString(), "--weights", dir.resolve("w.safetensors").toString(),
                "--data", feats.toString()))).isEqualTo(2);
        assertThat(err).contains("eval needs labelled data: give --targets N");
        ok(List.of("eval", "--model", model.toString(), "--weights", dir.resolve("w.safetensors").toString(), "--data", data.toString(),
                "--targets", "1", "--loss", "mse", "--metrics", "mse,mae"));
        assertThat(out).contains("loss      ").contains("mse       ").contains("mae       ");
    }

    @Test
    void earlyStoppingAndSchedulersShowInTheHistory() throws IOException {
        ok(train("circles:300,noise=0.05", "--epochs", "30", "--early-stopping", "2", "--monitor", "train_loss", "--min-delta", "10"));
        assertThat(history()).as("stops after 1 + 2 epochs without an improvement of 10").hasSize(4);
        assertThat(out).contains("early stopping: train_loss has not improved for 2 epochs (best ");
        ok(train("circles:300,noise=0.05", "--epochs", "6", "--scheduler", "step:2,0.5"));
        List<String> h = history();
        assertThat(h.stream().skip(1).map(r -> r.substring(r.lastIndexOf(',') + 1)).toList())
                .containsExactly("0.05", "0.05", "0.025", "0.025", "0.0125", "0.0125");
        ok(train("circles:300,noise=0.05", "--epochs", "4", "--warmup", "2"));
        assertThat(history().stream().skip(1).map(r -> r.substring(r.lastIndexOf(',') + 1)).toList())
                .as("LinearLR(start_factor=0.1, total_iters=2)").containsExactly("0.005000000000000001", "0.027500000000000004", "0.05", "0.05");
        ok(train("circles:300,noise=0.05", "--epochs", "6", "--scheduler", "plateau:0,0.5", "--monitor", "train_accuracy"));
        List<Double> lrs = history().stream().skip(1).map(r -> Double.parseDouble(r.substring(r.lastIndexOf(',') + 1))).toList();
        assertThat(lrs.get(0)).isEqualTo(0.05);
        for (int i = 1; i < lrs.size(); i++) {
            assertThat(lrs.get(i)).isIn(lrs.get(i - 1), lrs.get(i - 1) * 0.5);
        }
    }

    @Test
    void optionErrors() throws IOException {
        List<List<String>> bad = List.of(
                train("moons:100", "--val-split", "0.2", "--val-data", "moons:50"),
                train("moons:100", "--val-split", "1.5"),
                train("moons:100", "--monitor", "val_loss"),
                train("moons:100", "--metrics", "mse"),
                train("moons:100", "--scheduler", "linear:3"),
                train("moons:100", "--scheduler", "plateau", "--warmup", "2"),
                train("moons:100", "--checkpoint-every", "5"),
                train("moons"),
                train("fashion-mnist:valid"),
                train("moons:100", "--resume", dir.resolve("none.safetensors").toString()));
        List<String> messages = List.of(
                "--val-data and --val-split exclude each other",
                "--val-split must be a fraction between 0 and 1 (exclusive), got 1.5",
                "--monitor val_loss is not recorded by this run (recorded: train_loss, train_accuracy)",
                "--metrics: 'mse' does not apply to classification with --loss cross-entropy (known: accuracy, precision, recall, f1, confusion)",
                "--scheduler must be step:STEP[,GAMMA], cosine[:T_MAX[,ETA_MIN]] or plateau[:PATIENCE[,FACTOR]], not 'linear:3'",
                "--warmup cannot be combined with --scheduler plateau",
                "--checkpoint-every needs --checkpoint CKPT",
                "synthetic data 'moons' needs a size",
                "expected fashion-mnist:train or fashion-mnist:test",
                "none.safetensors: no such file");
        for (int i = 0; i < bad.size(); i++) {
            List<String> args = bad.get(i);
            assertThat(jgrad(args)).as("%s", args).isEqualTo(2);
            assertThat(err).as("%s", args).contains(messages.get(i));
        }
        assertThat(dir.resolve("w.safetensors")).doesNotExist();
    }

    static byte[] gz(byte[] b) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (var g = new java.util.zip.GZIPOutputStream(o)) {
            g.write(b);
        }
        return o.toByteArray();
    }
}
