package dev.jgrad.cli;

import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.explain.LossKind;
import dev.jgrad.nn.ModelSpec;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The model, weights, data and loss of {@code jgrad explain} and {@code jgrad graph}: the seed
 * notebook's network, weights, X, Y and binary cross-entropy when no {@code --model} is given,
 * otherwise a model spec, its weights (or PyTorch's initialisation from {@code --seed}), a CSV
 * data set read as {@code jgrad train} reads it, and a loss.
 * <pre>{@code
 * jgrad explain --model m.json --weights w.safetensors --data d.csv --targets 1 --loss bce
 * }</pre>
 */
final class ModelInputs {
    @Option(names = "--model", paramLabel = "M.json", description = "Model spec (JSON). Without it: the seed notebook's network, weights and data.")
    Path model;

    @Option(names = "--weights", paramLabel = "W.safetensors", description = "The model's weights (all of them, by name); "
            + "without it the model is initialised as PyTorch does from --seed.")
    Path weights;

    @Option(names = "--data", paramLabel = "D.csv", description = "Data with a header row; the last --targets columns are targets.")
    Path data;

    @Option(names = "--targets", paramLabel = "N", description = "Number of target columns (default 1; cross-entropy: one column of class indices).")
    Integer targets;

    @Option(names = "--loss", paramLabel = "LOSS", description = "bce (on probabilities), bce-logits, mse or cross-entropy; mean over the batch.")
    String loss;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "67280421310721",
            description = "Seed of the initial weights when --weights is not given (default: PyTorch's, ${DEFAULT-VALUE}).")
    long seed;

    /** What was loaded. */
    record Loaded(Module model, Map<String, Module> layers, Tensor x, Tensor y, LossKind loss, boolean isSeed, String title) {
    }

    /** True when the seed notebook is used (no --model). */
    boolean isSeed() {
        return model == null;
    }

    Loaded load(CommandSpec spec) throws IOException {
        if (model == null) {
            for (Object[] o : new Object[][] {{"--weights", weights}, {"--data", data}, {"--targets", targets}, {"--loss", loss}}) {
                if (o[1] != null) {
                    throw new ParameterException(spec.commandLine(), o[0] + " needs --model (without --model the seed notebook's "
                            + "network, weights and data are used)");
                }
            }
            Jgrad.manualSeed(0);
            SeedNetwork net = new SeedNetwork().setNotebookWeights();
            return new Loaded(net, net.layers(), SeedNetwork.notebookX(), SeedNetwork.notebookY(), LossKind.BCE, true,
                    "the seed notebook's network, weights and data");
        }
        if (data == null || loss == null) {
            throw new ParameterException(spec.commandLine(), (data == null ? "--data" : "--loss") + " is required with --model");
        }
        LossKind kind;
        try {
            kind = LossKind.fromName(loss);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--loss must be bce, bce-logits, mse or cross-entropy, not '" + loss + "'");
        }
        int nTargets = targets == null ? 1 : targets;
        if (nTargets < 1) {
            throw new ParameterException(spec.commandLine(), "--targets must be at least 1, got " + nTargets);
        }
        ModelSpec modelSpec = CliFiles.loadSpec(model);
        boolean classes = kind == LossKind.CROSS_ENTROPY;
        int outputs = modelSpec.outFeatures();
        CsvDataset ds = CsvDataset.read(data, nTargets, classes, outputs);
        int in = modelSpec.inFeatures();
        if (in >= 0 && in != ds.featureCount()) {
            throw new IllegalArgumentException(data + " has " + ds.featureCount() + " feature column" + (ds.featureCount() == 1 ? "" : "s")
                    + ", but the model's first linear layer takes in=" + in + " (" + model + ")");
        }
        if (!classes && outputs >= 0 && outputs != nTargets) {
            throw new IllegalArgumentException("--loss " + loss + " compares each output with a target, but the model gives "
                    + outputs + " output" + (outputs == 1 ? "" : "s") + " and --targets is " + nTargets);
        }
        Sequential net = modelSpec.build(new Generator(seed));
        if (weights != null) {
            CliFiles.loadWeights(net, weights);
        }
        Map<String, Module> layers = new LinkedHashMap<>(net.namedChildren());
        String title = "model " + model.getFileName() + (weights != null ? " with weights " + weights.getFileName() : " initialised from seed " + seed)
                + ", data " + data.getFileName();
        return new Loaded(net, layers, ds.features(), ds.targets(), kind, false, title);
    }

    /** The parameters of a loaded model, for an optimizer. */
    static List<dev.jgrad.nn.Parameter> parameters(Loaded l) {
        return l.model().parameters();
    }
}
