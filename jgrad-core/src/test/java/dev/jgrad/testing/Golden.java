package dev.jgrad.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads golden files made by real PyTorch (scripts beside them under
 * {@code src/test/resources/golden/}) and compares tensors against them.
 *
 * <p>Tensor encoding in the JSON: {@code {"dtype": "float32", "shape": [2, 3], "data": [...]}} with
 * data row-major; floats are written as {@code float.hex()} strings or numbers (both accepted).
 */
public final class Golden {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Golden() {
    }

    /** Parses a resource on the test classpath, e.g. {@code /golden/ops/cases.json}. */
    public static JsonNode load(String resource) {
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource " + resource);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DType dtype(String name) {
        switch (name) {
            case "float32": return DType.FLOAT32;
            case "float64": return DType.FLOAT64;
            case "int64": return DType.INT64;
            case "bool": return DType.BOOL;
            default: throw new IllegalArgumentException("unknown dtype " + name);
        }
    }

    /** A number that may be written as a JSON number or as Python's float.hex() / "nan" / "inf". */
    public static double number(JsonNode n) {
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isBoolean()) {
            return n.asBoolean() ? 1 : 0;
        }
        String s = n.asText();
        switch (s) {
            case "nan": return Double.NaN;
            case "inf": return Double.POSITIVE_INFINITY;
            case "-inf": return Double.NEGATIVE_INFINITY;
            default: return s.startsWith("0x") || s.startsWith("-0x") ? Double.parseDouble(s + (s.contains("p") ? "" : "p0")) : Double.parseDouble(s);
        }
    }

    /** A tensor from {@code {"dtype", "shape", "data"}}. */
    public static Tensor tensor(JsonNode node) {
        JsonNode shapeNode = node.get("shape");
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asInt();
        }
        JsonNode data = node.get("data");
        double[] values = new double[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = number(data.get(i));
        }
        return Tensor.fromDoubles(values, shape).to(dtype(node.get("dtype").asText()));
    }
}
