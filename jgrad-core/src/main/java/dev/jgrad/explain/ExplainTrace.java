package dev.jgrad.explain;

import dev.jgrad.hand.HandStep;
import dev.jgrad.hand.NdArray;
import java.util.List;

/**
 * Everything {@link Explainer} worked out, in the order it is told: the set-up, the forward pass
 * layer by layer, the loss per sample and the cost, the backward pass node by node in the order
 * autograd runs it, each parameter's hand-derived gradient checked against autograd's, and the
 * optimizer step checked against the optimizer. Renderers turn it into text, Markdown or JSON.
 * <pre>{@code
 * ExplainTrace t = Explainer.of(net).data(x, y).loss(LossKind.BCE).explain();
 * boolean ok = t.allChecksPass() && t.parameter("0.weight").check().maxDiff() < 1e-6;
 * }</pre>
 */
public final class ExplainTrace {
    /** A name or formula in plain text (Unicode) and in LaTeX. */
    public record Symbol(String text, String latex) {
        public static Symbol of(String text, String latex) {
            return new Symbol(text, latex);
        }
    }

    /** A named value; {@code note} says where it comes from (may be null). */
    public record Value(Symbol name, NdArray value, String note) {
    }

    /** A value worked out by hand beside the one jgrad computed: the largest difference and whether it is within tolerance. */
    public record Check(NdArray hand, NdArray actual, double maxDiff, boolean ok) {
        static Check of(NdArray hand, NdArray actual, double tolerance) {
            double d = hand.maxAbsDiff(actual);
            return new Check(hand, actual, d, d <= tolerance * (1 + actual.maxAbs()));
        }
    }

    /** The data and settings the explanation starts from. */
    public record Setup(String title, String model, List<Value> data, String loss, String optimizer, Integer sample,
                        int batch, double tolerance) {
    }

    /**
     * One layer of the forward pass ({@code kind} linear, elementwise, softmax, dropout, identity or
     * module): its formula (and the activation's definition), the operands
     * with their numbers, for element-wise layers the formula of one element (placeholder {@code {0}}
     * for the elements of {@code elementInput}), and the result by hand checked against the
     * module's output ({@code check} null where the layer has no hand formula).
     */
    public record ForwardStep(String kind, String module, String moduleRepr, Symbol output, Symbol formula, Symbol definition,
                              List<Value> operands, Symbol element, NdArray elementInput, NdArray actual, Check check,
                              String note) {
    }

    /** One sample's loss with its numbers filled into the formula. */
    public record SampleLoss(int sample, Symbol substituted, double value) {
    }

    /** The loss per sample and the cost (their mean), by hand, checked against the loss jgrad computed. */
    public record LossStep(String kind, Symbol perSample, Symbol cost, List<SampleLoss> samples, Symbol costSubstituted,
                           double hand, double actual, boolean ok) {
    }

    /** A gradient arriving at a node from the node that computed it (one per path). */
    public record Incoming(int fromNode, String fromName, NdArray value) {
    }

    /**
     * What one node passes to one of its inputs: the op's symbol for that input, the input's name
     * in the model and its node, the hand step, and when the step's result has the broadcast
     * shape of the output, the dimensions summed to get back to the input's shape and the sum.
     */
    public record Edge(int input, String symbol, Symbol target, int targetNode, String targetName, HandStep step,
                       List<Integer> summedDims, NdArray result) {
    }

    /**
     * One backward node in the order autograd runs it: its PyTorch name and the derivative its op
     * declares, the gradient of its output (summed over the paths it arrives by), what it passes
     * on; for AccumulateGrad nodes the parameter. {@code autograd} compares the upstream gradient
     * with autograd's {@code .grad} of the named tensor the node produced (null if unnamed).
     * {@code problem} says why the node could not be worked out by hand (null when it could).
     */
    public record BackwardNode(int index, String name, Symbol formula, Symbol output, List<String> inputSymbols,
                               List<Incoming> incoming, NdArray upstream, List<Edge> edges, String parameter,
                               Check autograd, String problem) {
    }

    /** A parameter's gradient derived by hand beside autograd's {@code .grad}. */
    public record ParameterCheck(String name, Symbol symbol, Check check) {
    }

    /** One quantity of an optimizer update, with its formula and values. */
    public record Quantity(Symbol name, Symbol formula, NdArray value) {
    }

    /** The optimizer step of one parameter by hand, checked against the optimizer's result. */
    public record OptimizerStep(String parameter, Symbol symbol, List<Quantity> quantities, Check check) {
    }

    private final Setup setup;
    private final List<ForwardStep> forward;
    private final LossStep loss;
    private final List<BackwardNode> backward;
    private final List<ParameterCheck> parameters;
    private final String optimizer;
    private final List<OptimizerStep> optimizerSteps;

    ExplainTrace(Setup setup, List<ForwardStep> forward, LossStep loss, List<BackwardNode> backward,
                 List<ParameterCheck> parameters, String optimizer, List<OptimizerStep> optimizerSteps) {
        this.setup = setup;
        this.forward = List.copyOf(forward);
        this.loss = loss;
        this.backward = List.copyOf(backward);
        this.parameters = List.copyOf(parameters);
        this.optimizer = optimizer;
        this.optimizerSteps = List.copyOf(optimizerSteps);
    }

    public Setup setup() {
        return setup;
    }

    public List<ForwardStep> forward() {
        return forward;
    }

    public LossStep loss() {
        return loss;
    }

    public List<BackwardNode> backward() {
        return backward;
    }

    public List<ParameterCheck> parameters() {
        return parameters;
    }

    /** The optimizer's description, or null when no step was explained. */
    public String optimizer() {
        return optimizer;
    }

    public List<OptimizerStep> optimizerSteps() {
        return optimizerSteps;
    }

    /** The check of one parameter by name, or null. */
    public ParameterCheck parameter(String name) {
        for (ParameterCheck p : parameters) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** True when every forward value, the cost, every parameter gradient and every optimizer update agree. */
    public boolean allChecksPass() {
        for (ForwardStep f : forward) {
            if (f.check() != null && !f.check().ok()) {
                return false;
            }
        }
        if (!loss.ok()) {
            return false;
        }
        for (ParameterCheck p : parameters) {
            if (!p.check().ok()) {
                return false;
            }
        }
        for (OptimizerStep o : optimizerSteps) {
            if (!o.check().ok()) {
                return false;
            }
        }
        return true;
    }
}
