package dev.jgrad.cli;

import dev.jgrad.Generator;
import dev.jgrad.PyFormat;
import dev.jgrad.Tensor;
import dev.jgrad.data.DataLoader;
import dev.jgrad.data.Datasets;
import dev.jgrad.data.Standardizer;
import dev.jgrad.data.Subset;
import dev.jgrad.data.TensorDataset;
import dev.jgrad.io.Checkpoint;
import dev.jgrad.io.Json;
import dev.jgrad.io.Safetensors;
import dev.jgrad.nn.ClipGrad;
import dev.jgrad.nn.ModelSpec;
import dev.jgrad.nn.Parameter;
import dev.jgrad.nn.Sequential;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.lr.CosineAnnealingLR;
import dev.jgrad.optim.lr.LRScheduler;
import dev.jgrad.optim.lr.LinearLR;
import dev.jgrad.optim.lr.ReduceLROnPlateau;
import dev.jgrad.optim.lr.SequentialLR;
import dev.jgrad.optim.lr.StepLR;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jgrad train}: trains a model spec as this PyTorch loop does, with the same numbers:
 * <pre>{@code
 * torch.manual_seed(seed); model = nn.Sequential(...); model.load_state_dict(init)  # if --init
 * for name in freeze: params[name].requires_grad_(False)
 * opt = Optim(model.parameters(), **given_options)
 * for epoch in 1..E: for xb, yb in DataLoader(TensorDataset(X, Y), batch_size=B, shuffle=not no_shuffle):
 *     opt.zero_grad(); loss = loss_fn(model(xb), yb); log(step, epoch, loss.item()); loss.backward(); opt.step()
 * }</pre>
 * Beyond that loop: validation data or a validation split with metrics per epoch, learning-rate
 * schedulers, gradient clipping, early stopping, atomic checkpoints with an exact {@code --resume},
 * a progress bar, a per-epoch history and plots, and the built-in Fashion-MNIST example.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model spec on a data set; the result equals PyTorch's for the same init, data, loss, "
                + "optimizer, hyperparameters, batch size and epochs (PyTorch's defaults for options not given).",
            "Outputs are written only when training succeeds (temporary file, then rename); checkpoints are written "
                + "atomically while training, and --resume continues a run exactly as if it had not stopped.",
            "Example: jgrad train --example fashion-mnist --plots plots"})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--example", paramLabel = "NAME",
            description = "A built-in recipe: fashion-mnist (784-256-128-10 ReLU MLP, Adam lr 1e-3, batch 128, 5 epochs, "
                    + "cross-entropy, train on fashion-mnist:train, validate on fashion-mnist:test); other options override it.")
    String example;

    @Option(names = "--model", paramLabel = "M.json", description = "Model spec (JSON).")
    Path model;

    @Option(names = "--data", paramLabel = "D",
            description = "Training data: D.csv (header; the last --targets columns are targets), X,Y (IDX or .npy files of "
                    + "features and labels), fashion-mnist:train[:N], or a synthetic set such as moons:1000,noise=0.2.")
    String data;

    @Option(names = "--targets", paramLabel = "N",
            description = "CSV data: number of target columns (1 for cross-entropy: integer class indices).")
    Integer targets;

    @Option(names = "--val-data", paramLabel = "D", description = "Validation data (same forms as --data).")
    String valData;

    @Option(names = "--val-split", paramLabel = "F",
            description = "Hold out this fraction of --data for validation: random_split(data, [1-F, F], "
                    + "generator=torch.Generator().manual_seed(seed)).")
    Double valSplit;

    @Option(names = "--loss", paramLabel = "LOSS",
            description = "bce (on probabilities), bce-logits, mse or cross-entropy (on logits); mean over the batch.")
    String loss;

    @Option(names = "--optimizer", paramLabel = "OPT", description = "sgd, adam or adamw.")
    String optimizer;

    @Mixin
    OptimizerOptions hyper;

    @Option(names = "--epochs", paramLabel = "E", description = "Passes over the data.")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "B",
            description = "Rows per step; the last batch of an epoch may be smaller (default: 1).")
    Integer batchSize;

    @Option(names = "--no-shuffle", description = "Take rows in file order (default: shuffle each epoch as DataLoader(shuffle=True)).")
    boolean noShuffle;

    @Option(names = "--drop-last", description = "Drop the last batch of an epoch when it is smaller (DataLoader(drop_last=True)).")
    boolean dropLast;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "67280421310721",
            description = "Seed of the initial weights, dropout, shuffling, the validation split and synthetic data "
                    + "(default: PyTorch's, ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--init", paramLabel = "W.safetensors",
            description = "Initial weights (all of the model's, by name); the model is still built from --seed first.")
    Path init;

    @Option(names = "--freeze", paramLabel = "NAME", split = ",",
            description = "Parameters kept fixed (requires_grad false), e.g. 0.weight,2.bias.")
    List<String> freeze = new ArrayList<>();

    @Option(names = "--standardize",
            description = "Standardise the features with the training data's column means and standard deviations "
                    + "(saved with the weights; predict and eval apply them).")
    boolean standardize;

    @Option(names = "--scheduler", paramLabel = "SPEC",
            description = "Learning-rate schedule, stepped once per epoch: step:STEP[,GAMMA] (StepLR, gamma 0.1), "
                    + "cosine[:T_MAX[,ETA_MIN]] (CosineAnnealingLR, T_max = epochs), plateau[:PATIENCE[,FACTOR]] "
                    + "(ReduceLROnPlateau on --monitor, patience 10, factor 0.1).")
    String scheduler;

    @Option(names = "--warmup", paramLabel = "N",
            description = "Linear warm-up over the first N epochs (LinearLR(start_factor=0.1, total_iters=N)), then --scheduler "
                    + "(SequentialLR with milestone N).")
    Integer warmup;

    @Option(names = "--clip-grad-norm", paramLabel = "X", description = "Clip the gradients' total 2-norm to X before each step (clip_grad_norm_).")
    Double clipGradNorm;

    @Option(names = "--early-stopping", paramLabel = "P", description = "Stop when --monitor has not improved for P epochs.")
    Integer earlyStopping;

    @Option(names = "--monitor", paramLabel = "NAME",
            description = "The per-epoch value early stopping and plateau watch (default: val_loss with validation data, else "
                    + "train_loss); losses, mse and mae should fall, the others rise.")
    String monitor;

    @Option(names = "--min-delta", paramLabel = "D", defaultValue = "0", description = "Smallest change that counts as an improvement (default 0).")
    double minDelta;

    @Option(names = "--metrics", paramLabel = "LIST", split = ",",
            description = "Validation metrics: accuracy, precision, recall, f1 (macro), confusion (classification); mse, mae "
                    + "(regression). Default: accuracy for classification.")
    List<String> metrics;

    @Option(names = "--checkpoint", paramLabel = "CKPT",
            description = "Checkpoint file, rewritten atomically at the end of every epoch and every --checkpoint-every steps.")
    Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Also checkpoint every N optimizer steps.")
    Integer checkpointEvery;

    @Option(names = "--resume", paramLabel = "CKPT",
            description = "Continue the run saved in CKPT (give the same options; --epochs may grow): the final weights and "
                    + "loss log equal those of a run that never stopped, bit for bit.")
    Path resume;

    @Option(names = "--save", paramLabel = "OUT.safetensors", description = "Where to write the trained weights (example: fashion-mnist.safetensors).")
    Path save;

    @Option(names = "--log-csv", paramLabel = "LOSSES.csv",
            description = "Loss log: header step,epoch,loss, one row per optimizer step (the batch loss before the step).")
    Path logCsv;

    @Option(names = "--history-csv", paramLabel = "H.csv",
            description = "Per-epoch history: epoch, train_loss, train_accuracy, val_loss, val_<metric>..., lr.")
    Path historyCsv;

    @Option(names = "--plots", paramLabel = "DIR",
            description = "Write loss and accuracy curves (and for 2-D data the decision boundary) as PNG and SVG into DIR.")
    Path plots;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (a bar on a terminal, else plain lines), bar, plain or none (default: ${DEFAULT-VALUE}).")
    String progress;

    @Option(names = "--prefetch", paramLabel = "N", defaultValue = "0",
            description = "Gather up to N batches ahead on a background thread (default: ${DEFAULT-VALUE}).")
    int prefetch;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing on success.")
    boolean quiet;

    @Option(names = "--throttle-ms", hidden = true, defaultValue = "0", description = "Sleep after each step (for tests that interrupt a run).")
    int throttleMs;

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    // ------------------------------------------------------------------ run state

    private ModelSpec modelSpec;
    private Task task;
    private List<String> metricNames;
    private String monitorName;
    private final List<Integer> logEpoch = new ArrayList<>();
    private final List<Double> logLoss = new ArrayList<>();
    private final Map<String, List<Double>> history = new LinkedHashMap<>();
    private int step;
    private long correct;
    private long seen;
    private Double best;
    private int bestEpoch;
    private int badEpochs;
    private boolean stopped;
    /** --scheduler with its defaults filled in (cosine's T_max depends on --epochs). */
    private String schedulerResolved;

    @Override
    public Integer call() throws Exception {
        applyExample();
        validateOptions();
        if (modelSpec == null) {
            modelSpec = CliFiles.loadSpec(model);
        }
        int outputs = modelSpec.outFeatures();
        boolean classes = loss.equals("cross-entropy");
        boolean csv = isCsv(data);
        if (csv && targets == null) {
            throw usage("--targets is required for CSV data (" + data + ")");
        }
        DataSources.Loaded train = DataSources.load(data, csv ? targets : null, loss, classes ? outputs : 0, seed);
        int targetCount = train.targets().dim() == 1 ? 1 : train.targets().shape()[1];
        checkShapes(train, csv, classes, outputs, targetCount);
        task = new Task(loss, outputs, targetCount);
        chooseMetrics();

        TensorDataset trainSet = train.dataset();
        TensorDataset valSet = null;
        if (valData != null) {
            DataSources.Loaded v = DataSources.load(valData, isCsv(valData) ? targets : null, loss, classes ? outputs : 0, seed + 1);
            if (v.featureCount() != train.featureCount()) {
                throw new IllegalArgumentException("--val-data " + valData + " has " + v.featureCount() + " features but --data has "
                        + train.featureCount());
            }
            valSet = v.dataset();
        } else if (valSplit != null) {
            List<Subset> parts = Datasets.randomSplit(trainSet, new double[] {1 - valSplit, valSplit}, new Generator(seed));
            if (parts.get(0).size() == 0 || parts.get(1).size() == 0) {
                throw usage("--val-split " + valSplit + " leaves " + parts.get(0).size() + " training and " + parts.get(1).size()
                        + " validation rows of " + trainSet.size());
            }
            trainSet = materialize(parts.get(0));
            valSet = materialize(parts.get(1));
        }
        Standardizer scaler = null;
        if (standardize) {
            scaler = Standardizer.fit(trainSet.tensor(0));
            trainSet = new TensorDataset(scaler.transform(trainSet.tensor(0)), trainSet.tensor(1));
            if (valSet != null) {
                valSet = new TensorDataset(scaler.transform(valSet.tensor(0)), valSet.tensor(1));
            }
        }
        checkMonitor(valSet != null);

        Generator generator = new Generator(seed);
        Sequential net = modelSpec.build(generator);
        if (init != null) {
            CliFiles.loadWeights(net, init);
        }
        Map<String, Parameter> params = net.namedParameters();
        for (String name : freeze) {
            Parameter p = params.get(name);
            if (p == null) {
                throw new IllegalArgumentException("--freeze: the model has no parameter \"" + name + "\" (it has: "
                        + String.join(", ", params.keySet()) + ")");
            }
            p.requiresGrad_(false);
        }
        if (params.isEmpty()) {
            throw new IllegalArgumentException(modelName() + ": the model has no parameters to train");
        }
        if (params.values().stream().noneMatch(Tensor::requiresGrad)) {
            throw new IllegalArgumentException("--freeze: every parameter is frozen, nothing to train");
        }
        Optimizer opt = makeOptimizer(net.parameters());
        LRScheduler epochScheduler = null;
        ReduceLROnPlateau plateau = null;
        Object sched = makeScheduler(opt);
        if (sched instanceof LRScheduler) {
            epochScheduler = (LRScheduler) sched;
        } else if (sched instanceof ReduceLROnPlateau) {
            plateau = (ReduceLROnPlateau) sched;
        }

        DataLoader loader = DataLoader.builder(trainSet).batchSize(batchSize).shuffle(!noShuffle).dropLast(dropLast)
                .defaultGenerator(generator).prefetch(prefetch).build();
        String config = Json.write(config());
        int startEpoch = 1;
        DataLoader.Epoch resumed = null;
        if (resume != null) {
            Checkpoint ck = readCheckpoint(resume);
            checkConfig(ck, config);
            Map<String, Object> st = state(ck);
            net.loadStateDict(ck.section("model"), true);
            opt.loadStateDict(ck.section("optim"));
            if (epochScheduler != null) {
                epochScheduler.loadStateDict(ck.section("sched"));
            }
            if (plateau != null) {
                plateau.loadStateDict(ck.section("plateau"));
            }
            ck.restoreGenerator("generator", generator);
            long[] le = ck.tensor("log.epoch").toLongArray();
            double[] ll = ck.tensor("log.loss").toDoubleArray();
            for (int i = 0; i < le.length; i++) {
                logEpoch.add((int) le[i]);
                logLoss.add(ll[i]);
            }
            Map<String, Tensor> saved = ck.section("history");
            for (Object name : (List<?>) Json.parse(ck.meta("jgrad.history_columns"))) {
                List<Double> col = new ArrayList<>();
                for (double v : saved.get((String) name).toDoubleArray()) {
                    col.add(v);
                }
                history.put((String) name, col);
            }
            step = ((Number) st.get("step")).intValue();
            correct = ((Number) st.get("correct")).longValue();
            seen = ((Number) st.get("seen")).longValue();
            best = st.get("best") == null ? null : ((Number) st.get("best")).doubleValue();
            bestEpoch = ((Number) st.get("best_epoch")).intValue();
            badEpochs = ((Number) st.get("bad_epochs")).intValue();
            stopped = Boolean.TRUE.equals(st.get("stopped"));
            int epoch = ((Number) st.get("epoch")).intValue();
            if (Boolean.TRUE.equals(st.get("epoch_complete"))) {
                startEpoch = epoch + 1;
            } else {
                startEpoch = epoch;
                resumed = loader.resume(ck.tensor("loader.order").toLongArray(), ((Number) st.get("batches_done")).intValue());
            }
        }

        PrintWriter w = spec.commandLine().getOut();
        if (!quiet && resume != null) {
            w.println("resumed " + resume + " at step " + step + (resumed != null ? " (epoch " + startEpoch + ", batch "
                    + resumed.batchesDone() + "/" + resumed.batches() + ")" : " (after epoch " + (startEpoch - 1) + ")"));
        }
        long trainStart = System.nanoTime();
        int epochsRun = 0;
        try (Progress bar = Progress.create(progress, w, quiet, true)) {
            for (int epoch = startEpoch; epoch <= epochs && !stopped; epoch++) {
                DataLoader.Epoch it = resumed != null ? resumed : loader.iterator();
                resumed = null;
                long epochStart = System.nanoTime();
                long samplesAtStart = (long) it.batchesDone() * batchSize;
                long epochSamples = dropLast ? (long) it.batches() * batchSize : trainSet.size();
                bar.epochStart(epoch, epochs, it.batches(), epochSamples, it.batchesDone(), Math.min(samplesAtStart, epochSamples));
                long samples = 0;
                try {
                    while (it.hasNext()) {
                        List<Tensor> b = it.next();
                        Tensor xb = b.get(0);
                        Tensor yb = b.get(1);
                        opt.zeroGrad();
                        Tensor output = net.forward(xb);
                        Tensor value = task.lossOf(output, yb);
                        step++;
                        double v = value.item();
                        logEpoch.add(epoch);
                        logLoss.add(v);
                        if (task.classification()) {
                            correct += task.correct(output, yb);
                            seen += xb.shape()[0];
                        }
                        value.backward();
                        if (clipGradNorm != null) {
                            ClipGrad.clipGradNorm_(net.parameters(), clipGradNorm);
                        }
                        opt.step();
                        samples += xb.shape()[0];
                        bar.batch(it.batchesDone(), xb.shape()[0], v);
                        if (throttleMs > 0) {
                            Thread.sleep(throttleMs);
                        }
                        if (checkpoint != null && checkpointEvery != null && step % checkpointEvery == 0) {
                            saveCheckpoint(net, opt, epochScheduler, plateau, generator, config, epoch, it, false);
                        }
                    }
                } finally {
                    it.close();
                }
                double secs = (System.nanoTime() - epochStart) / 1e9;
                String summary = endEpoch(epoch, net, opt, valSet, epochScheduler, plateau);
                bar.epochEnd(summary + String.format(Locale.ROOT, " (%s, %.0f samples/s)", Progress.seconds(secs),
                        samples / Math.max(secs, 1e-9)));
                epochsRun++;
                if (checkpoint != null) {
                    saveCheckpoint(net, opt, epochScheduler, plateau, generator, config, epoch, it, true);
                }
                if (stopped) {
                    bar.line("early stopping: " + monitorName + " has not improved for " + earlyStopping + " epoch"
                            + (earlyStopping == 1 ? "" : "s") + " (best " + fmt(best) + " at epoch " + bestEpoch + ")");
                }
            }
        }
        double totalSecs = (System.nanoTime() - trainStart) / 1e9;

        Task.Evaluation finalVal = valSet != null && metricNames.contains("confusion") && task.classification()
                ? task.evaluate(net, valSet.tensor(0), valSet.tensor(1), metricNames) : null;
        writeOutputs(net, scaler, trainSet);
        if (!quiet) {
            int n = trainSet.size();
            double last = logLoss.isEmpty() ? Double.NaN : logLoss.get(logLoss.size() - 1);
            int e = history.containsKey("epoch") ? history.get("epoch").size() : 0;
            w.println("trained " + e + " epoch" + (e == 1 ? "" : "s") + " (" + step + " step" + (step == 1 ? "" : "s")
                    + ") on " + n + " rows" + (step > 0 ? "; last batch loss " + PyFormat.repr(last) : "")
                    + (epochsRun > 0 ? String.format(Locale.ROOT, "; %s per epoch", Progress.seconds(totalSecs / epochsRun)) : ""));
            if (finalVal != null) {
                w.println("confusion matrix of the validation data (rows: true class, columns: predicted):");
                w.println(finalVal.confusion);
            }
            w.println("saved " + save + (logCsv != null ? " and " + logCsv : "") + (historyCsv != null ? " and " + historyCsv : "")
                    + (plots != null ? "; plots in " + plots : ""));
            w.flush();
        }
        return 0;
    }

    // ------------------------------------------------------------------ epochs

    /** Validation, history, scheduler, early stopping; returns the epoch's summary line. */
    private String endEpoch(int epoch, Sequential net, Optimizer opt, TensorDataset valSet, LRScheduler epochScheduler,
                            ReduceLROnPlateau plateau) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < logEpoch.size(); i++) {
            if (logEpoch.get(i) == epoch) {
                sum += logLoss.get(i);
                count++;
            }
        }
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("epoch", (double) epoch);
        row.put("train_loss", count == 0 ? Double.NaN : sum / count);
        if (task.classification()) {
            row.put("train_accuracy", seen == 0 ? Double.NaN : (double) correct / seen);
        }
        if (valSet != null) {
            Task.Evaluation e = task.evaluate(net, valSet.tensor(0), valSet.tensor(1), metricNames);
            row.put("val_loss", e.loss);
            for (Map.Entry<String, Double> m : e.metrics.entrySet()) {
                row.put("val_" + m.getKey(), m.getValue());
            }
        }
        row.put("lr", opt.paramGroups().get(0).get("lr"));
        for (Map.Entry<String, Double> c : row.entrySet()) {
            history.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(c.getValue());
        }
        correct = 0;
        seen = 0;
        double watched = row.get(monitorName);
        if (epochScheduler != null) {
            epochScheduler.step();
        }
        if (plateau != null) {
            plateau.step(watched);
        }
        if (earlyStopping != null) {
            boolean min = minimized(monitorName);
            if (best == null || (min ? watched < best - minDelta : watched > best + minDelta)) {
                best = watched;
                bestEpoch = epoch;
                badEpochs = 0;
            } else if (++badEpochs >= earlyStopping) {
                stopped = true;
            }
        }
        StringBuilder s = new StringBuilder("epoch " + epoch + "/" + epochs + ":");
        for (Map.Entry<String, Double> c : row.entrySet()) {
            if (!c.getKey().equals("epoch")) {
                s.append(' ').append(c.getKey()).append(' ').append(c.getKey().equals("lr") ? PyFormat.repr(c.getValue()) : fmt(c.getValue()));
            }
        }
        return s.toString();
    }

    static boolean minimized(String name) {
        return name.endsWith("loss") || name.endsWith("mse") || name.endsWith("mae");
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    // ------------------------------------------------------------------ checkpoints

    private void saveCheckpoint(Sequential net, Optimizer opt, LRScheduler epochScheduler, ReduceLROnPlateau plateau, Generator generator,
                                String config, int epoch, DataLoader.Epoch it, boolean epochComplete) throws IOException {
        Checkpoint ck = new Checkpoint().put("model", net.stateDict()).put("optim", opt.stateDict());
        if (epochScheduler != null) {
            ck.put("sched", epochScheduler.stateDict());
        }
        if (plateau != null) {
            ck.put("plateau", plateau.stateDict());
        }
        ck.putGenerator("generator", generator);
        if (!epochComplete) {
            long[] order = it.order();
            ck.putTensor("loader.order", Tensor.fromLongs(order, order.length));
        }
        long[] le = new long[logEpoch.size()];
        double[] ll = new double[logLoss.size()];
        for (int i = 0; i < le.length; i++) {
            le[i] = logEpoch.get(i);
            ll[i] = logLoss.get(i);
        }
        ck.putTensor("log.epoch", Tensor.fromLongs(le, le.length));
        ck.putTensor("log.loss", Tensor.fromDoubles(ll, ll.length));
        for (Map.Entry<String, List<Double>> e : history.entrySet()) {
            double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            ck.putTensor("history." + e.getKey(), Tensor.fromDoubles(v, v.length));
        }
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("version", 1L);
        st.put("epoch", (long) epoch);
        st.put("batches_done", (long) it.batchesDone());
        st.put("epoch_complete", epochComplete);
        st.put("step", (long) step);
        st.put("correct", correct);
        st.put("seen", seen);
        st.put("best", best);
        st.put("best_epoch", (long) bestEpoch);
        st.put("bad_epochs", (long) badEpochs);
        st.put("stopped", stopped);
        ck.putMeta("jgrad.state", Json.write(st));
        ck.putMeta("jgrad.config", config);
        ck.putMeta("jgrad.history_columns", Json.write(new ArrayList<Object>(history.keySet())));
        Path dir = checkpoint.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(checkpoint + ": cannot write: folder " + dir + " does not exist");
        }
        ck.save(checkpoint);
    }

    private static Checkpoint readCheckpoint(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file + ": no such file");
        }
        Checkpoint ck = Checkpoint.load(file);
        if (ck.meta("jgrad.state") == null || ck.meta("jgrad.config") == null) {
            throw new IllegalArgumentException(file + ": not a jgrad train checkpoint (no jgrad.state metadata)");
        }
        return ck;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> state(Checkpoint ck) {
        return (Map<String, Object>) Json.parse(ck.meta("jgrad.state"));
    }

    @SuppressWarnings("unchecked")
    private void checkConfig(Checkpoint ck, String config) {
        Map<String, Object> saved = (Map<String, Object>) Json.parse(ck.meta("jgrad.config"));
        Map<String, Object> now = (Map<String, Object>) Json.parse(config);
        for (String k : now.keySet()) {
            if (!java.util.Objects.equals(saved.get(k), now.get(k))) {
                throw new IllegalArgumentException("--resume " + resume + ": the checkpoint was made with " + k + " = "
                        + Json.write(saved.get(k)) + ", but this run has " + k + " = " + Json.write(now.get(k))
                        + " (give the options of the interrupted run; only --epochs and outputs may change)");
            }
        }
    }

    /** The options that decide the numbers of a run (all but --epochs and the outputs). */
    private Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("model", modelSpec.toJson());
        c.put("data", data);
        c.put("targets", targets == null ? null : (long) targets);
        c.put("val_data", valData);
        c.put("val_split", valSplit);
        c.put("loss", loss);
        c.put("optimizer", optimizer);
        hyper.describe(c);
        c.put("batch_size", (long) batchSize);
        c.put("shuffle", !noShuffle);
        c.put("drop_last", dropLast);
        c.put("seed", seed);
        c.put("init", init == null ? null : init.toString());
        c.put("freeze", new ArrayList<Object>(freeze));
        c.put("standardize", standardize);
        c.put("scheduler", schedulerResolved);
        c.put("warmup", warmup == null ? null : (long) warmup);
        c.put("clip_grad_norm", clipGradNorm);
        c.put("early_stopping", earlyStopping == null ? null : (long) earlyStopping);
        c.put("monitor", monitorName);
        c.put("min_delta", minDelta);
        c.put("metrics", new ArrayList<Object>(metricNames));
        return c;
    }

    // ------------------------------------------------------------------ outputs

    private void writeOutputs(Sequential net, Standardizer scaler, TensorDataset trainSet) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        if (scaler != null) {
            meta.put("jgrad.standardize", Json.write(Map.of("mean", toList(scaler.mean()), "scale", toList(scaler.scale()))));
        }
        try (StagedFiles out = new StagedFiles()) {
            out.stage(save, Safetensors.serialize(net.stateDict(), meta));
            if (logCsv != null) {
                StringBuilder log = new StringBuilder("step,epoch,loss\n");
                for (int i = 0; i < logLoss.size(); i++) {
                    log.append(i + 1).append(',').append(logEpoch.get(i)).append(',').append(PyFormat.repr(logLoss.get(i))).append('\n');
                }
                out.stage(logCsv, log.toString().getBytes(StandardCharsets.UTF_8));
            }
            if (historyCsv != null) {
                out.stage(historyCsv, historyText().getBytes(StandardCharsets.UTF_8));
            }
            if (plots != null) {
                Map<String, byte[]> files = new LinkedHashMap<>();
                files.putAll(Plots.curves(history, "loss", List.of("train_loss", "val_loss"), "loss"));
                if (task.classification()) {
                    files.putAll(Plots.curves(history, "accuracy", List.of("train_accuracy", "val_accuracy"), "accuracy"));
                }
                if (trainSet.tensor(0).shape()[1] == 2 && task.classification()) {
                    files.putAll(Plots.boundary(trainSet.tensor(0).toFloatArray(), task.trueClasses(trainSet.tensor(1)).toLongArray(),
                            task.numClasses(), grid -> {
                                Task.Evaluation e = task.evaluate(net, Tensor.fromFloats(grid, grid.length / 2, 2), null, List.of());
                                return task.predictedClasses(e.outputs).toLongArray();
                            }));
                }
                Files.createDirectories(plots);
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    out.stage(plots.resolve(f.getKey()), f.getValue());
                }
            }
            out.commit();
        }
    }

    private String historyText() {
        StringBuilder s = new StringBuilder(String.join(",", history.keySet())).append('\n');
        int rows = history.isEmpty() ? 0 : history.values().iterator().next().size();
        for (int r = 0; r < rows; r++) {
            int c = 0;
            for (Map.Entry<String, List<Double>> e : history.entrySet()) {
                s.append(c++ == 0 ? "" : ",");
                double v = e.getValue().get(r);
                s.append(e.getKey().equals("epoch") ? Long.toString((long) v) : PyFormat.repr(v));
            }
            s.append('\n');
        }
        return s.toString();
    }

    private static List<Object> toList(double[] v) {
        List<Object> l = new ArrayList<>();
        for (double d : v) {
            l.add(d);
        }
        return l;
    }

    private static TensorDataset materialize(Subset s) {
        return new TensorDataset(s.batch(s.indices().length == 0 ? new long[0] : range(s.size())));
    }

    private static long[] range(int n) {
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    // ------------------------------------------------------------------ options

    private void applyExample() throws IOException {
        if (example == null) {
            return;
        }
        if (!example.equals("fashion-mnist")) {
            throw usage("--example must be fashion-mnist, not '" + example + "'");
        }
        if (model == null) {
            try (InputStream in = TrainCommand.class.getResourceAsStream("/examples/fashion-mnist.json")) {
                modelSpec = ModelSpec.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        data = data != null ? data : "fashion-mnist:train";
        if (valData == null && valSplit == null) {
            valData = "fashion-mnist:test";
        }
        loss = loss != null ? loss : "cross-entropy";
        optimizer = optimizer != null ? optimizer : "adam";
        hyper.lr = hyper.lr != null ? hyper.lr : 1e-3;
        batchSize = batchSize != null ? batchSize : 128;
        epochs = epochs != null ? epochs : 5;
        save = save != null ? save : Path.of("fashion-mnist.safetensors");
        metrics = metrics != null ? metrics : List.of("accuracy");
    }

    private String modelName() {
        return model != null ? model.toString() : "--example " + example;
    }

    private static boolean isCsv(String spec) {
        return !dev.jgrad.data.Synthetic.isSpec(spec) && !spec.startsWith("fashion-mnist")
                && !(spec.indexOf(',') > 0 && !Files.exists(Path.of(spec)));
    }

    private void validateOptions() {
        List<String> missing = new ArrayList<>();
        if (model == null && modelSpec == null) {
            missing.add("'--model=M.json'");
        }
        if (data == null) {
            missing.add("'--data=D'");
        }
        if (loss == null) {
            missing.add("'--loss=LOSS'");
        }
        if (optimizer == null) {
            missing.add("'--optimizer=OPT'");
        }
        if (epochs == null) {
            missing.add("'--epochs=E'");
        }
        if (save == null) {
            missing.add("'--save=OUT.safetensors'");
        }
        if (!missing.isEmpty()) {
            throw usage("Missing required option" + (missing.size() == 1 ? "" : "s") + ": " + String.join(", ", missing));
        }
        if (batchSize == null) {
            batchSize = 1;
        }
        if (!Task.LOSSES.contains(loss)) {
            throw usage("--loss must be bce, bce-logits, mse or cross-entropy, not '" + loss + "'");
        }
        String optimizerError = hyper.error(optimizer);
        if (optimizerError != null) {
            throw usage(optimizerError);
        }
        if (targets != null && targets < 1) {
            throw usage("--targets must be at least 1, got " + targets);
        }
        if (epochs < 0) {
            throw usage("--epochs must not be negative, got " + epochs);
        }
        if (batchSize < 1) {
            throw usage("--batch-size must be a positive integer, got " + batchSize);
        }
        if (valData != null && valSplit != null) {
            throw usage("--val-data and --val-split exclude each other");
        }
        if (valSplit != null && !(valSplit > 0 && valSplit < 1)) {
            throw usage("--val-split must be a fraction between 0 and 1 (exclusive), got " + valSplit);
        }
        if (checkpointEvery != null && checkpointEvery < 1) {
            throw usage("--checkpoint-every must be a positive number of steps, got " + checkpointEvery);
        }
        if (checkpointEvery != null && checkpoint == null) {
            throw usage("--checkpoint-every needs --checkpoint CKPT");
        }
        if (earlyStopping != null && earlyStopping < 1) {
            throw usage("--early-stopping must be a positive number of epochs, got " + earlyStopping);
        }
        if (warmup != null && warmup < 1) {
            throw usage("--warmup must be a positive number of epochs, got " + warmup);
        }
        if (clipGradNorm != null && !(clipGradNorm > 0)) {
            throw usage("--clip-grad-norm must be positive, got " + clipGradNorm);
        }
        if (!List.of("auto", "bar", "plain", "none").contains(progress)) {
            throw usage("--progress must be auto, bar, plain or none, not '" + progress + "'");
        }
        if (prefetch < 0) {
            throw usage("--prefetch must not be negative, got " + prefetch);
        }
        List<Path> outs = new ArrayList<>();
        outs.add(save);
        for (Path p : new Path[] {logCsv, historyCsv, checkpoint}) {
            if (p != null) {
                outs.add(p);
            }
        }
        if (logCsv != null && logCsv.toAbsolutePath().normalize().equals(save.toAbsolutePath().normalize())) {
            throw usage("--log-csv and --save name the same file: " + save);
        }
        for (int i = 0; i < outs.size(); i++) {
            for (int j = i + 1; j < outs.size(); j++) {
                if (outs.get(i).toAbsolutePath().normalize().equals(outs.get(j).toAbsolutePath().normalize())) {
                    throw usage("two outputs name the same file: " + outs.get(i));
                }
            }
        }
    }

    private void chooseMetrics() {
        if (metrics == null) {
            metricNames = task.classification() ? List.of("accuracy") : List.of();
            return;
        }
        for (String m : metrics) {
            if (!task.knownMetrics().contains(m)) {
                throw usage("--metrics: '" + m + "' does not apply to " + (task.classification() ? "classification" : "regression")
                        + " with --loss " + loss + " (known: " + String.join(", ", task.knownMetrics()) + ")");
            }
        }
        metricNames = List.copyOf(metrics);
    }

    private void checkMonitor(boolean validation) {
        monitorName = monitor != null ? monitor : validation ? "val_loss" : "train_loss";
        List<String> known = new ArrayList<>(List.of("train_loss"));
        if (task.classification()) {
            known.add("train_accuracy");
        }
        if (validation) {
            known.add("val_loss");
            for (String m : metricNames) {
                if (!m.equals("confusion")) {
                    known.add("val_" + m);
                }
            }
        }
        if (!known.contains(monitorName)) {
            throw usage("--monitor " + monitorName + " is not recorded by this run (recorded: " + String.join(", ", known) + ")");
        }
    }

    private void checkShapes(DataSources.Loaded ds, boolean csv, boolean classes, int outputs, int targetCount) {
        int in = modelSpec.inFeatures();
        if (in >= 0 && in != ds.featureCount()) {
            if (csv) {
                throw new IllegalArgumentException(data + " has " + ds.featureCount() + " feature column"
                        + (ds.featureCount() == 1 ? "" : "s") + " (all but the last " + targets + " of " + (ds.featureCount() + targets)
                        + "), but the model's first linear layer takes in=" + in + " (" + modelName() + ")");
            }
            throw new IllegalArgumentException("--data " + ds.description() + " has " + ds.featureCount() + " features per example, but "
                    + "the model's first linear layer takes in=" + in + " (" + modelName() + ")");
        }
        if (!classes && outputs >= 0 && outputs != targetCount) {
            throw new IllegalArgumentException("--loss " + loss + " compares each output with a target, but the model gives "
                    + outputs + " output" + (outputs == 1 ? "" : "s") + " and " + (csv ? "--targets is " : "the data has ")
                    + targetCount + (csv ? "" : " target column" + (targetCount == 1 ? "" : "s")));
        }
    }

    private Optimizer makeOptimizer(List<Parameter> params) {
        return hyper.make(optimizer, params);
    }

    /** The scheduler of --scheduler and --warmup: an LRScheduler, a ReduceLROnPlateau, or null. */
    private Object makeScheduler(Optimizer opt) {
        schedulerResolved = scheduler;
        if (scheduler == null && warmup == null) {
            return null;
        }
        String kind = scheduler == null ? null : scheduler.split(":", 2)[0];
        double[] args = new double[0];
        if (scheduler != null && scheduler.contains(":")) {
            String[] p = scheduler.substring(scheduler.indexOf(':') + 1).split(",");
            args = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                try {
                    args[i] = Double.parseDouble(p[i].strip());
                } catch (NumberFormatException e) {
                    throw usage("--scheduler " + scheduler + ": '" + p[i] + "' is not a number");
                }
            }
        }
        if (kind != null && kind.equals("plateau")) {
            if (warmup != null) {
                throw usage("--warmup cannot be combined with --scheduler plateau (PyTorch's SequentialLR takes epoch schedulers only)");
            }
            atMost(args, 2);
            int patience = args.length > 0 ? whole(args[0], "patience", 0) : 10;
            double factor = args.length > 1 ? args[1] : 0.1;
            return new ReduceLROnPlateau(opt, minimized(monitorName) ? "min" : "max", factor, patience, 1e-4, "rel", 0, 0, 1e-8);
        }
        LinearLR warm = warmup != null ? new LinearLR(opt, 0.1, 1.0, warmup) : null;
        LRScheduler main = null;
        if (kind != null) {
            switch (kind) {
                case "step":
                    atMost(args, 2);
                    if (args.length < 1) {
                        throw usage("--scheduler step needs a step size: step:STEP[,GAMMA]");
                    }
                    main = new StepLR(opt, whole(args[0], "step size", 1), args.length > 1 ? args[1] : 0.1);
                    break;
                case "cosine":
                    atMost(args, 2);
                    int tMax = args.length > 0 ? whole(args[0], "T_max", 1) : Math.max(1, epochs - (warmup != null ? warmup : 0));
                    main = new CosineAnnealingLR(opt, tMax, args.length > 1 ? args[1] : 0.0);
                    schedulerResolved = "cosine:" + tMax + "," + PyFormat.repr(args.length > 1 ? args[1] : 0.0);
                    break;
                default:
                    throw usage("--scheduler must be step:STEP[,GAMMA], cosine[:T_MAX[,ETA_MIN]] or plateau[:PATIENCE[,FACTOR]], not '"
                            + scheduler + "'");
            }
        }
        if (warm != null && main != null) {
            return new SequentialLR(opt, List.of(warm, main), new int[] {warmup});
        }
        return warm != null ? warm : main;
    }

    private void atMost(double[] args, int n) {
        if (args.length > n) {
            throw usage("--scheduler " + scheduler + ": too many values (at most " + n + ")");
        }
    }

    private int whole(double v, String what, int min) {
        if (v != Math.rint(v) || v < min) {
            throw usage("--scheduler " + scheduler + ": the " + what + " must be an integer of at least " + min + ", got " + PyFormat.repr(v));
        }
        return (int) v;
    }
}
