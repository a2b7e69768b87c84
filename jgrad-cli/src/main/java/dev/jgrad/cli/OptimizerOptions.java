package dev.jgrad.cli;

import dev.jgrad.nn.Parameter;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.AdamW;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.SGD;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The optimizer hyperparameter options shared by {@code jgrad train} and {@code jgrad explain}
 * (a picocli mixin; each command declares {@code --optimizer} itself). Options not given take
 * PyTorch's defaults.
 * <pre>{@code
 * @Mixin OptimizerOptions hyper;
 * Optimizer opt = hyper.make("adam", model.parameters());
 * }</pre>
 */
final class OptimizerOptions {
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

    /** True when any of these options was given. */
    boolean anyGiven() {
        return lr != null || momentum != null || weightDecay != null || betas != null || eps != null || nesterov;
    }

    /** What is wrong with these options for {@code optimizer} (null: nothing). */
    String error(String optimizer) {
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

    /** The optimizer these options describe (checked by {@link #error} first), PyTorch's defaults where an option is not given. */
    Optimizer make(String optimizer, List<Parameter> params) {
        double wd = weightDecay != null ? weightDecay : optimizer.equals("adamw") ? 1e-2 : 0.0;
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

    /** Adds the options as given (null where not) to a run's configuration, by PyTorch's names. */
    void describe(Map<String, Object> config) {
        config.put("lr", lr);
        config.put("momentum", momentum);
        config.put("weight_decay", weightDecay);
        config.put("betas", betas == null ? null : List.of(betas[0], betas[1]));
        config.put("eps", eps);
        config.put("nesterov", nesterov);
    }
}
