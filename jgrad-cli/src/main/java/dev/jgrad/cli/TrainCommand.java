package dev.jgrad.cli;

import dev.jgrad.Generator;
import dev.jgrad.PyFormat;
import dev.jgrad.Tensor;
import dev.jgrad.io.Safetensors;
import dev.jgrad.nn.F;
import dev.jgrad.nn.ModelSpec;
import dev.jgrad.nn.Parameter;
import dev.jgrad.nn.Sequential;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.AdamW;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.SGD;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jgrad train}: trains a model spec on a CSV data set as this PyTorch loop does, with the
 * same numbers:
 * <pre>{@code
 * torch.manual_seed(seed); model = nn.Sequential(...); model.load_state_dict(init)  # if --init
 * for name in freeze: params[name].requires_grad_(False)
 * opt = Optim(model.parameters(), **given_options)
 * for epoch in 1..E: for xb, yb in DataLoader(TensorDataset(X, Y), batch_size=B, shuffle=not no_shuffle):
 *     opt.zero_grad(); loss = loss_fn(model(xb), yb); log(step, epoch, loss.item()); loss.backward(); opt.step()
 * }</pre>
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model spec on a CSV data set; the result equals PyTorch's for the same init, data, loss, "
                + "optimizer, hyperparameters, batch size and epochs (PyTorch's defaults for options not given).",
            "Outputs are written only when training succeeds (temporary file, then rename)."})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.json", description = "Model spec (JSON).")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "D.csv",
            description = "Data with a header row; the last --targets columns are targets, the others features.")
    Path data;

    @Option(names = "--targets", required = true, paramLabel = "N",
            description = "Number of target columns (1 for cross-entropy: integer class indices).")
    int targets;

    @Option(names = "--loss", required = true, paramLabel = "LOSS",
            description = "bce (on probabilities), bce-logits, mse or cross-entropy (on logits); mean over the batch.")
    String loss;

    @Option(names = "--optimizer", required = true, paramLabel = "OPT", description = "sgd, adam or adamw.")
    String optimizer;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate (required for sgd; adam and adamw: 0.001).")
    Double lr;

    @Option(names = "--momentum", paramLabel = "X", description = "SGD momentum (default 0).")
    Double momentum;

    @Option(names = "--weight-decay", paramLabel = "X", description = "Weight decay (sgd, adam: 0; adamw: 0.01).")
    Double weightDecay;

    @Option(names = "--betas", paramLabel = "B1,B2", split = ",", hideParamSyntax = true, description = "Adam(W) betas (default 0.9,0.999).")
    double[] betas;

    @Option(names = "--eps", paramLabel = "X", description = "Adam(W) epsilon (default 1e-8).")
    Double eps;

    @Option(names = "--nesterov", description = "SGD with Nesterov momentum (needs --momentum).")
    boolean nesterov;

    @Option(names = "--epochs", required = true, paramLabel = "E", description = "Passes over the data.")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "1",
            description = "Rows per step; the last batch of an epoch may be smaller (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--no-shuffle", description = "Take rows in file order (default: shuffle each epoch as DataLoader(shuffle=True)).")
    boolean noShuffle;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "67280421310721",
            description = "Seed of the initial weights, dropout and shuffling (default: PyTorch's, ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--init", paramLabel = "W.safetensors",
            description = "Initial weights (all of the model's, by name); the model is still built from --seed first.")
    Path init;

    @Option(names = "--freeze", paramLabel = "NAME", split = ",",
            description = "Parameters kept fixed (requires_grad false), e.g. 0.weight,2.bias.")
    List<String> freeze = new ArrayList<>();

    @Option(names = "--save", required = true, paramLabel = "OUT.safetensors", description = "Where to write the trained weights.")
    Path save;

    @Option(names = "--log-csv", paramLabel = "LOSSES.csv",
            description = "Loss log: header step,epoch,loss, one row per optimizer step (the batch loss before the step).")
    Path logCsv;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing on success.")
    boolean quiet;

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        validateOptions();
        ModelSpec modelSpec = CliFiles.loadSpec(model);
        boolean classes = loss.equals("cross-entropy");
        int outputs = modelSpec.outFeatures();
        CsvDataset ds = CsvDataset.read(data, targets, classes, outputs);
        checkShapes(modelSpec, ds, classes, outputs);

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
            throw new IllegalArgumentException(model + ": the model has no parameters to train");
        }
        if (params.values().stream().noneMatch(Tensor::requiresGrad)) {
            throw new IllegalArgumentException("--freeze: every parameter is frozen, nothing to train");
        }
        Optimizer opt = makeOptimizer(net.parameters());

        StringBuilder log = new StringBuilder("step,epoch,loss\n");
        ShuffleOrder order = new ShuffleOrder(generator, !noShuffle);
        int n = ds.rows();
        int step = 0;
        double last = Double.NaN;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long[] rows = order.nextEpoch(n);
            for (int start = 0; start < n; start += batchSize) {
                int len = Math.min(batchSize, n - start);
                long[] idx = java.util.Arrays.copyOfRange(rows, start, start + len);
                Tensor index = Tensor.fromLongs(idx, len);
                Tensor xb = ds.features().indexSelect(0, index);
                Tensor yb = ds.targets().indexSelect(0, index);
                opt.zeroGrad();
                Tensor value = lossOf(net.forward(xb), yb);
                step++;
                last = value.item();
                log.append(step).append(',').append(epoch).append(',').append(PyFormat.repr(last)).append('\n');
                value.backward();
                opt.step();
            }
        }

        try (StagedFiles out = new StagedFiles()) {
            out.stage(save, Safetensors.serialize(net.stateDict(), Map.of()));
            if (logCsv != null) {
                out.stage(logCsv, log.toString().getBytes(StandardCharsets.UTF_8));
            }
            out.commit();
        }
        if (!quiet) {
            PrintWriter w = spec.commandLine().getOut();
            w.println("trained " + epochs + " epoch" + (epochs == 1 ? "" : "s") + " (" + step + " step" + (step == 1 ? "" : "s")
                    + ") on " + n + " rows" + (step > 0 ? "; last batch loss " + PyFormat.repr(last) : ""));
            w.println("saved " + save + (logCsv != null ? " and " + logCsv : ""));
            w.flush();
        }
        return 0;
    }

    private void validateOptions() {
        if (!List.of("bce", "bce-logits", "mse", "cross-entropy").contains(loss)) {
            throw usage("--loss must be bce, bce-logits, mse or cross-entropy, not '" + loss + "'");
        }
        String optimizerError = optimizerOptionsError(optimizer, lr, momentum, betas, eps, nesterov);
        if (optimizerError != null) {
            throw usage(optimizerError);
        }
        if (targets < 1) {
            throw usage("--targets must be at least 1, got " + targets);
        }
        if (epochs < 0) {
            throw usage("--epochs must not be negative, got " + epochs);
        }
        if (batchSize < 1) {
            throw usage("--batch-size must be a positive integer, got " + batchSize);
        }
        if (logCsv != null && logCsv.toAbsolutePath().normalize().equals(save.toAbsolutePath().normalize())) {
            throw usage("--log-csv and --save name the same file: " + save);
        }
    }

    private void checkShapes(ModelSpec modelSpec, CsvDataset ds, boolean classes, int outputs) {
        int in = modelSpec.inFeatures();
        if (in >= 0 && in != ds.featureCount()) {
            throw new IllegalArgumentException(data + " has " + ds.featureCount() + " feature column"
                    + (ds.featureCount() == 1 ? "" : "s") + " (all but the last " + targets + " of " + ds.header().size()
                    + "), but the model's first linear layer takes in=" + in + " (" + model + ")");
        }
        if (!classes && outputs >= 0 && outputs != targets) {
            throw new IllegalArgumentException("--loss " + loss + " compares each output with a target, but the model gives "
                    + outputs + " output" + (outputs == 1 ? "" : "s") + " and --targets is " + targets);
        }
    }

    private Tensor lossOf(Tensor output, Tensor target) {
        switch (loss) {
            case "bce": return F.binaryCrossEntropy(output, target);
            case "bce-logits": return F.binaryCrossEntropyWithLogits(output, target);
            case "mse": return F.mseLoss(output, target);
            default: return F.crossEntropy(output, target);
        }
    }

    private Optimizer makeOptimizer(List<Parameter> params) {
        return makeOptimizer(optimizer, params, lr, momentum, weightDecay, betas, eps, nesterov);
    }

    /** What is wrong with a combination of optimizer options (null: nothing); shared with {@code jgrad explain}. */
    static String optimizerOptionsError(String optimizer, Double lr, Double momentum, double[] betas, Double eps, boolean nesterov) {
        if (!List.of("sgd", "adam", "adamw").contains(optimizer)) {
            return "--optimizer must be sgd, adam or adamw, not '" + optimizer + "'";
        }
        boolean sgd = optimizer.equals("sgd");
        if (sgd && lr == null) {
            return "--lr is required for sgd (PyTorch's SGD has no default learning rate)";
        }
        if (!sgd && (momentum != null || nesterov)) {
            return (momentum != null ? "--momentum" : "--nesterov") + " applies to sgd only, not " + optimizer;
        }
        if (sgd && (betas != null || eps != null)) {
            return (betas != null ? "--betas" : "--eps") + " applies to adam and adamw only, not sgd";
        }
        if (betas != null && betas.length != 2) {
            return "--betas takes two numbers B1,B2, got " + betas.length;
        }
        return null;
    }

    /** The optimizer the options describe, PyTorch's defaults where an option is not given. */
    static Optimizer makeOptimizer(String optimizer, List<Parameter> params, Double lr, Double momentum, Double weightDecay,
                                   double[] betas, Double eps, boolean nesterov) {
        double wdDefault = optimizer.equals("adamw") ? 1e-2 : 0.0;
        double wd = weightDecay != null ? weightDecay : wdDefault;
        switch (optimizer) {
            case "sgd":
                return new SGD(params, lr, momentum != null ? momentum : 0.0, 0.0, wd, nesterov, false);
            case "adam":
            case "adamw": {
                double rate = lr != null ? lr : 1e-3;
                double b1 = betas != null ? betas[0] : 0.9;
                double b2 = betas != null ? betas[1] : 0.999;
                double e = eps != null ? eps : 1e-8;
                return optimizer.equals("adam") ? new Adam(params, rate, b1, b2, e, wd, false, false)
                        : new AdamW(params, rate, b1, b2, e, wd, false, false);
            }
            default:
                throw new IllegalStateException(optimizer);
        }
    }
}
