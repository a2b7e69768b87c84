package dev.jgrad.nn;

import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.PyFormat;
import dev.jgrad.io.Json;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Sequential} model described in JSON, so that models can be defined without Java:
 * <pre>{@code
 * ModelSpec spec = ModelSpec.parse("{\"layers\": [{\"type\": \"linear\", \"in\": 2, \"out\": 1}, {\"type\": \"sigmoid\"}]}");
 * Sequential model = spec.build(new Generator(0)); // as torch.manual_seed(0); nn.Sequential(...)
 * }</pre>
 * Layer types and their keys (optional ones with PyTorch's defaults): {@code linear} ({@code in},
 * {@code out}, {@code bias}=true), {@code relu}, {@code sigmoid}, {@code tanh}, {@code leaky_relu}
 * ({@code negative_slope}=0.01), {@code gelu} ({@code approximate}="none"), {@code softmax}
 * ({@code dim}), {@code log_softmax} ({@code dim}), {@code dropout} ({@code p}=0.5),
 * {@code flatten}, {@code identity}. Unknown types or keys, wrong value types and sizes that do
 * not follow from the previous linear layer are {@link ModelSpecException}s naming the layer
 * index, e.g. {@code layer 2 (linear): in=4 but the previous layer gives 3 features}.
 */
public final class ModelSpec {
    /** The known layer types, each with its allowed keys besides "type". */
    private static final Map<String, List<String>> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("linear", List.of("in", "out", "bias"));
        KEYS.put("relu", List.of());
        KEYS.put("sigmoid", List.of());
        KEYS.put("tanh", List.of());
        KEYS.put("leaky_relu", List.of("negative_slope"));
        KEYS.put("gelu", List.of("approximate"));
        KEYS.put("softmax", List.of("dim"));
        KEYS.put("log_softmax", List.of("dim"));
        KEYS.put("dropout", List.of("p"));
        KEYS.put("flatten", List.of());
        KEYS.put("identity", List.of());
    }

    /**
     * One validated layer: its type and its options, with defaults filled in (integers as
     * {@code Long}, reals as {@code Double}, flags as {@code Boolean}, strings as {@code String}).
     */
    public record Layer(String type, Map<String, Object> options) {
        public Layer {
            options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        }

        /** The module this layer stands for, its parameters (if any) drawn from {@code generator}. */
        public Module build(Generator generator) {
            switch (type) {
                case "linear":
                    return new Linear(integer("in"), integer("out"), (Boolean) options.get("bias"), generator);
                case "relu": return new ReLU();
                case "sigmoid": return new Sigmoid();
                case "tanh": return new Tanh();
                case "leaky_relu": return new LeakyReLU((Double) options.get("negative_slope"));
                case "gelu": return new GELU((String) options.get("approximate"));
                case "softmax": return new Softmax(integer("dim"));
                case "log_softmax": return new LogSoftmax(integer("dim"));
                case "dropout": return new Dropout((Double) options.get("p"), generator);
                case "flatten": return new Flatten();
                case "identity": return new Identity();
                default: throw new IllegalStateException("unknown layer type " + type);
            }
        }

        private int integer(String key) {
            return (int) (long) (Long) options.get(key);
        }
    }

    private final List<Layer> layers;

    private ModelSpec(List<Layer> layers) {
        this.layers = Collections.unmodifiableList(layers);
    }

    /** The layer types a spec may use, in the order the documentation lists them. */
    public static List<String> layerTypes() {
        return List.copyOf(KEYS.keySet());
    }

    /** Reads a spec file (UTF-8); errors start with the file name. */
    public static ModelSpec load(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ModelSpecException(file + ": not valid UTF-8 text", -1);
        }
        try {
            return parse(text);
        } catch (ModelSpecException e) {
            throw new ModelSpecException(file + ": " + e.getMessage(), e.layerIndex());
        }
    }

    /** Parses and validates a spec; syntax errors give line and column, others the layer index. */
    public static ModelSpec parse(String json) {
        Object root;
        try {
            root = Json.parse(json);
        } catch (Json.ParseException e) {
            throw new ModelSpecException("line " + e.line() + ", column " + e.column() + ": invalid JSON: " + e.reason(), -1);
        }
        if (!(root instanceof Map)) {
            throw new ModelSpecException("expected a JSON object with \"layers\", got " + describe(root), -1);
        }
        Map<?, ?> top = (Map<?, ?>) root;
        for (Object k : top.keySet()) {
            if (!"layers".equals(k)) {
                throw new ModelSpecException("unknown top-level key \"" + k + "\" (allowed: layers)", -1);
            }
        }
        if (!top.containsKey("layers")) {
            throw new ModelSpecException("missing key \"layers\"", -1);
        }
        if (!(top.get("layers") instanceof List)) {
            throw new ModelSpecException("\"layers\" must be an array, got " + describe(top.get("layers")), -1);
        }
        List<Layer> layers = new ArrayList<>();
        int features = -1; // -1: not known before the first linear layer
        int featuresFrom = -1;
        List<?> items = (List<?>) top.get("layers");
        for (int index = 0; index < items.size(); index++) {
            Layer layer = layer(index, items.get(index));
            if (layer.type().equals("linear")) {
                long in = (Long) layer.options().get("in");
                if (features >= 0 && in != features) {
                    throw new ModelSpecException("layer " + index + " (linear): in=" + in + " but the previous layer gives "
                            + features + " features (out of layer " + featuresFrom + ")", index);
                }
                features = (int) (long) (Long) layer.options().get("out");
                featuresFrom = index;
            }
            layers.add(layer);
        }
        return new ModelSpec(layers);
    }

    private static Layer layer(int index, Object item) {
        if (!(item instanceof Map)) {
            throw new ModelSpecException("layer " + index + ": expected an object, got " + describe(item), index);
        }
        Map<?, ?> m = (Map<?, ?>) item;
        Object type = m.get("type");
        if (type == null) {
            throw new ModelSpecException("layer " + index + ": missing key \"type\"", index);
        }
        if (!(type instanceof String)) {
            throw new ModelSpecException("layer " + index + ": \"type\" must be a string, got " + describe(type), index);
        }
        String t = (String) type;
        String where = "layer " + index + " (" + t + ")";
        List<String> allowed = KEYS.get(t);
        if (allowed == null) {
            throw new ModelSpecException(where + ": unknown type \"" + t + "\" (known: " + String.join(", ", KEYS.keySet()) + ")",
                    index);
        }
        for (Object k : m.keySet()) {
            if (!"type".equals(k) && !allowed.contains(k)) {
                throw new ModelSpecException(where + ": unknown key \"" + k + "\" ("
                        + (allowed.isEmpty() ? "this type has no keys besides type" : "allowed: " + String.join(", ", allowed))
                        + ")", index);
            }
        }
        Map<String, Object> o = new LinkedHashMap<>();
        switch (t) {
            case "linear":
                o.put("in", positive(where, m, "in", index));
                o.put("out", positive(where, m, "out", index));
                o.put("bias", flag(where, m, "bias", true, index));
                break;
            case "leaky_relu":
                o.put("negative_slope", real(where, m, "negative_slope", 0.01, index));
                break;
            case "gelu": {
                Object a = m.containsKey("approximate") ? m.get("approximate") : "none";
                if (!"none".equals(a) && !"tanh".equals(a)) {
                    throw new ModelSpecException(where + ": \"approximate\" must be \"none\" or \"tanh\", got " + describe(a), index);
                }
                o.put("approximate", a);
                break;
            }
            case "softmax":
            case "log_softmax": {
                if (!m.containsKey("dim")) {
                    throw new ModelSpecException(where + ": missing key \"dim\"", index);
                }
                Object d = m.get("dim");
                if (!(d instanceof Long) || Math.abs((Long) d) > Integer.MAX_VALUE) {
                    throw new ModelSpecException(where + ": \"dim\" must be an integer, got " + describe(d), index);
                }
                o.put("dim", d);
                break;
            }
            case "dropout": {
                double p = real(where, m, "p", 0.5, index);
                if (!(p >= 0 && p <= 1)) {
                    throw new ModelSpecException(where + ": \"p\" must be between 0 and 1, got " + PyFormat.repr(p), index);
                }
                o.put("p", p);
                break;
            }
            default:
                break;
        }
        return new Layer(t, o);
    }

    private static Long positive(String where, Map<?, ?> m, String key, int index) {
        if (!m.containsKey(key)) {
            throw new ModelSpecException(where + ": missing key \"" + key + "\"", index);
        }
        Object v = m.get(key);
        if (!(v instanceof Long) || (Long) v < 1 || (Long) v > Integer.MAX_VALUE) {
            throw new ModelSpecException(where + ": \"" + key + "\" must be a positive integer, got " + describe(v), index);
        }
        return (Long) v;
    }

    private static Boolean flag(String where, Map<?, ?> m, String key, boolean dflt, int index) {
        if (!m.containsKey(key)) {
            return dflt;
        }
        Object v = m.get(key);
        if (!(v instanceof Boolean)) {
            throw new ModelSpecException(where + ": \"" + key + "\" must be true or false, got " + describe(v), index);
        }
        return (Boolean) v;
    }

    private static double real(String where, Map<?, ?> m, String key, double dflt, int index) {
        if (!m.containsKey(key)) {
            return dflt;
        }
        Object v = m.get(key);
        if (!(v instanceof Long) && !(v instanceof Double)) {
            throw new ModelSpecException(where + ": \"" + key + "\" must be a number, got " + describe(v), index);
        }
        return ((Number) v).doubleValue();
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return Json.write(v);
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        return Json.write(v);
    }

    /** The layers in order. */
    public List<Layer> layers() {
        return layers;
    }

    /** The number of input features the first linear layer takes, or −1 if the spec has no linear layer. */
    public int inFeatures() {
        for (Layer l : layers) {
            if (l.type().equals("linear")) {
                return (int) (long) (Long) l.options().get("in");
            }
        }
        return -1;
    }

    /** The number of output features of the last linear layer, or −1 if the spec has no linear layer. */
    public int outFeatures() {
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i).type().equals("linear")) {
                return (int) (long) (Long) layers.get(i).options().get("out");
            }
        }
        return -1;
    }

    /** The model, drawing initial weights (and dropout masks) from the default generator. */
    public Sequential build() {
        return build(Jgrad.defaultGenerator());
    }

    /**
     * The model as {@code nn.Sequential(...)} creates it: layers in order, each linear layer's
     * weight then bias drawn from {@code generator}, which dropout layers also use for their masks.
     */
    public Sequential build(Generator generator) {
        Sequential s = new Sequential();
        for (Layer l : layers) {
            s.add(l.build(generator));
        }
        return s;
    }

    /** The spec as compact JSON, every option written out; {@link #parse} reads it back to an equal spec. */
    public String toJson() {
        List<Object> out = new ArrayList<>();
        for (Layer l : layers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", l.type());
            m.putAll(l.options());
            out.add(m);
        }
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("layers", out);
        return Json.write(top);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec && ((ModelSpec) o).layers.equals(layers);
    }

    @Override
    public int hashCode() {
        return layers.hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
