package dev.jgrad.nn;

import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base class of all layers and models, as {@code torch.nn.Module}: parameters and submodules are
 * registered in declaration order, named with dots ({@code linear1.weight}), switched between
 * training and evaluation, and printed as PyTorch prints them.
 * <pre>{@code
 * class Net extends Module {
 *     final Linear linear1 = registerModule("linear1", new Linear(2, 3));
 *     @Override public Tensor forward(Tensor x) { return F.relu(linear1.forward(x)); }
 * }
 * }</pre>
 */
public abstract class Module {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Module> modules = new LinkedHashMap<>();
    private boolean training = true;

    /** The forward computation of a one-input module. */
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(getName() + " does not define forward(Tensor)");
    }

    /** Registers (or, with null, removes) a parameter under {@code name}; returns it. */
    protected <P extends Parameter> P registerParameter(String name, P parameter) {
        checkName(name);
        if (parameter == null) {
            parameters.remove(name);
        } else {
            parameters.put(name, parameter);
        }
        return parameter;
    }

    /** Registers a submodule under {@code name}; returns it. */
    protected <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        modules.put(name, module);
        childArray = null;
        return module;
    }

    /** The direct submodules in registration order, as an array kept until the next registration (for forward passes). */
    Module[] childArray() {
        Module[] a = childArray;
        if (a == null) {
            a = modules.values().toArray(new Module[0]);
            childArray = a;
        }
        return a;
    }

    private Module[] childArray;

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module name can't contain \".\" or be empty, got: \"" + name + "\"");
        }
        if ((parameters.containsKey(name) && modules.containsKey(name))) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists");
        }
    }

    /** This module's own parameters (not its submodules'), by name. */
    protected Map<String, Parameter> ownParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** All parameters, this module's first, then each submodule's in registration order. */
    public List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** All parameters with dotted names, as {@code named_parameters()}; a shared parameter appears once. */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        java.util.Set<Parameter> seen = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Parameter> p : e.getValue().parameters.entrySet()) {
                if (seen.add(p.getValue())) {
                    out.put(prefix + p.getKey(), p.getValue());
                }
            }
        }
        return out;
    }

    /** The direct submodules in registration order. */
    public List<Module> children() {
        return new ArrayList<>(modules.values());
    }

    /** The direct submodules by name. */
    public Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(modules);
    }

    /** This module ("") and all submodules, depth first, with dotted names. */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collect("", this, out);
        return out;
    }

    /** This module and all submodules, depth first. */
    public List<Module> modules() {
        return new ArrayList<>(namedModules().values());
    }

    private static void collect(String prefix, Module m, Map<String, Module> out) {
        if (out.containsValue(m)) {
            return;
        }
        out.put(prefix, m);
        for (Map.Entry<String, Module> e : m.modules.entrySet()) {
            collect(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
        }
    }

    /** Sets training mode on this module and all submodules; returns this. */
    public Module train(boolean mode) {
        training = mode;
        for (Module m : modules.values()) {
            m.train(mode);
        }
        return this;
    }

    public Module train() {
        return train(true);
    }

    /** Evaluation mode (dropout off); returns this. */
    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    /** Clears the gradients of all parameters (sets them to null, as PyTorch 2's default). */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /** Clears gradients: to null, or to zero tensors in place. */
    public void zeroGrad(boolean setToNone) {
        for (Parameter p : parameters()) {
            if (p.grad() != null) {
                if (setToNone) {
                    p.setGrad(null);
                } else {
                    p.grad().detach().zero_();
                }
            }
        }
    }

    /**
     * The parameters by dotted name, detached and sharing storage with the module (PyTorch's
     * {@code state_dict()}): {@code linear1.weight}, or {@code 0.weight} inside a Sequential.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) {
            out.put(e.getKey(), e.getValue().detach());
        }
        return out;
    }

    /** Loads parameters strictly: every key must match and every shape must agree. */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> state) {
        return loadStateDict(state, true);
    }

    /**
     * Copies values from {@code state} into the parameters of the same names, as PyTorch's
     * {@code load_state_dict}: shape mismatches are always errors; missing and unexpected keys are
     * errors when {@code strict}, otherwise reported in the result. Nothing is copied on error.
     */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Parameter> params = namedParameters();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Tensor t = state.get(e.getKey());
            if (t == null) {
                missing.add(e.getKey());
            } else if (!java.util.Arrays.equals(t.shape(), e.getValue().shape())) {
                errors.add("size mismatch for " + e.getKey() + ": copying a param with shape torch.Size(" + t.shapeString()
                        + ") from checkpoint, the shape in current model is torch.Size(" + e.getValue().shapeString() + ").");
            }
        }
        for (String k : state.keySet()) {
            if (!params.containsKey(k)) {
                unexpected.add(k);
            }
        }
        if (strict) {
            if (!unexpected.isEmpty()) {
                errors.add(0, "Unexpected key(s) in state_dict: " + quoted(unexpected) + ". ");
            }
            if (!missing.isEmpty()) {
                errors.add(0, "Missing key(s) in state_dict: " + quoted(missing) + ". ");
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + getName() + ":\n\t" + String.join("\n\t", errors));
        }
        try (var g = dev.jgrad.autograd.GradMode.noGrad()) {
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                Tensor t = state.get(e.getKey());
                if (t != null) {
                    e.getValue().copy_(t);
                }
            }
        }
        return new IncompatibleKeys(missing, unexpected);
    }

    private static String quoted(List<String> keys) {
        StringBuilder b = new StringBuilder();
        for (String k : keys) {
            b.append(b.length() == 0 ? "" : ", ").append('"').append(k).append('"');
        }
        return b.toString();
    }

    /** The class name shown in the repr. */
    public String getName() {
        return getClass().getSimpleName();
    }

    /** Extra information in the repr, e.g. {@code in_features=2, out_features=3, bias=True}. */
    public String extraRepr() {
        return "";
    }

    /** PyTorch's module repr. */
    @Override
    public String toString() {
        List<String> extraLines = new ArrayList<>();
        String extra = extraRepr();
        if (!extra.isEmpty()) {
            Collections.addAll(extraLines, extra.split("\n", -1));
        }
        List<String> childLines = new ArrayList<>();
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            childLines.add("(" + e.getKey() + "): " + addIndent(e.getValue().toString(), 2));
        }
        List<String> lines = new ArrayList<>(extraLines);
        lines.addAll(childLines);
        StringBuilder main = new StringBuilder(getName()).append('(');
        if (!lines.isEmpty()) {
            if (extraLines.size() == 1 && childLines.isEmpty()) {
                main.append(extraLines.get(0));
            } else {
                main.append("\n  ").append(String.join("\n  ", lines)).append('\n');
            }
        }
        return main.append(')').toString();
    }

    private static String addIndent(String s, int spaces) {
        String[] lines = s.split("\n", -1);
        if (lines.length == 1) {
            return s;
        }
        StringBuilder b = new StringBuilder(lines[0]);
        for (int i = 1; i < lines.length; i++) {
            b.append('\n').append(" ".repeat(spaces)).append(lines[i]);
        }
        return b.toString();
    }

    /** Python's spelling of a boolean in reprs. */
    protected static String py(boolean b) {
        return b ? "True" : "False";
    }
}
