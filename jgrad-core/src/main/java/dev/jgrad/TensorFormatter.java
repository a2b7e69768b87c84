package dev.jgrad;

import java.util.ArrayList;
import java.util.List;

/**
 * A port of PyTorch's {@code torch/_tensor_str.py}: one shared column width, integer mode
 * ({@code 4.}), scientific mode, summarisation of large tensors and the suffixes
 * ({@code dtype=}, {@code grad_fn=}, {@code requires_grad=True}).
 */
final class TensorFormatter {
    private final boolean floating;
    private boolean intMode = true;
    private boolean sciMode;
    private int maxWidth = 1;
    private final PrintOptions opts;

    private TensorFormatter(DType dtype, List<Tensor> sample, PrintOptions opts) {
        this.opts = opts;
        this.floating = dtype.isFloatingPoint();
        if (!floating) {
            for (Tensor part : sample) {
                for (long v : part.toLongArray()) {
                    maxWidth = Math.max(maxWidth, plain(dtype, v).length());
                }
            }
            return;
        }
        List<Double> values = new ArrayList<>();
        for (Tensor part : sample) {
            for (double v : part.toDoubleArray()) {
                values.add(v);
            }
        }
        List<Double> finite = new ArrayList<>();
        for (double v : values) {
            if (Double.isFinite(v) && v != 0) {
                finite.add(v);
            }
        }
        if (finite.isEmpty()) {
            // PyTorch returns here, before applying a forced sci_mode: tensor(0.) even with sci_mode=True
            return;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double v : finite) {
            min = Math.min(min, Math.abs(v));
            max = Math.max(max, Math.abs(v));
            if (v != Math.ceil(v)) {
                intMode = false;
            }
        }
        int p = opts.precision();
        if (intMode) {
            if (max / min > 1000. || max > 1.e8) {
                sciMode = true;
                for (double v : finite) {
                    maxWidth = Math.max(maxWidth, PyFormat.scientific(v, p).length());
                }
            } else {
                for (double v : finite) {
                    maxWidth = Math.max(maxWidth, PyFormat.fixed(v, 0).length() + 1);
                }
            }
        } else {
            if (max / min > 1000. || max > 1.e8 || min < 1.e-4) {
                sciMode = true;
                for (double v : finite) {
                    maxWidth = Math.max(maxWidth, PyFormat.scientific(v, p).length());
                }
            } else {
                for (double v : finite) {
                    maxWidth = Math.max(maxWidth, PyFormat.fixed(v, p).length());
                }
            }
        }
        applyForcedSci();
    }

    private void applyForcedSci() {
        if (opts.sciMode() != null) {
            sciMode = opts.sciMode();
        }
    }

    private static String plain(DType dtype, long v) {
        if (dtype == DType.BOOL) {
            return v != 0 ? "True" : "False";
        }
        return Long.toString(v);
    }

    /** The formatted, padded elements of a 0-d or 1-d tensor. */
    private List<String> formatAll(Tensor t) {
        List<String> out = new ArrayList<>();
        if (floating) {
            for (double v : t.toDoubleArray()) {
                out.add(format(v));
            }
        } else {
            for (long v : t.toLongArray()) {
                out.add(pad(plain(t.dtype(), v)));
            }
        }
        return out;
    }

    private String pad(String ret) {
        return " ".repeat(Math.max(0, maxWidth - ret.length())) + ret;
    }

    private String format(double v) {
        String ret;
        if (sciMode) {
            ret = PyFormat.scientific(v, opts.precision());
        } else if (intMode) {
            ret = PyFormat.fixed(v, 0);
            if (!Double.isInfinite(v) && !Double.isNaN(v)) {
                ret += ".";
            }
        } else {
            ret = PyFormat.fixed(v, opts.precision());
        }
        return pad(ret);
    }

    /** The body of the repr ({@code [[1., 2.], ...]}) with continuation lines indented by {@code indent}. */
    static String body(Tensor t, PrintOptions opts, int indent) {
        if (t.numel() == 0) {
            return "[]";
        }
        boolean summarize = t.numel() > opts.threshold();
        List<Tensor> sample = new ArrayList<>();
        if (summarize) {
            collectSummary(t.detach(), opts.edgeItems(), sample);
        } else {
            sample.add(t.detach());
        }
        return new TensorFormatter(t.dtype(), sample, opts).tensorStr(t.detach(), indent, summarize);
    }

    /** Each element formatted as the repr formats it (one shared mode for the tensor), without padding. */
    static List<String> elements(Tensor t, PrintOptions opts) {
        TensorFormatter f = new TensorFormatter(t.dtype(), List.of(t.detach()), opts);
        List<String> out = new ArrayList<>();
        for (String e : f.formatAll(t.detach().reshape(-1))) {
            out.add(e.strip());
        }
        return out;
    }

    /** PyTorch's {@code repr(tensor)}. */
    static String repr(Tensor t) {
        return repr(t, "tensor(");
    }

    static String repr(Tensor t, String prefix) {
        PrintOptions opts = PrintOptions.get();
        int indent = prefix.length();
        List<String> suffixes = new ArrayList<>();
        String body;
        if (t.numel() == 0) {
            if (t.dim() != 1) {
                suffixes.add("size=(" + sizeTuple(t.shape()) + ")");
            }
            if (t.dtype() != DType.FLOAT32) {
                suffixes.add("dtype=" + t.dtype().torchName());
            }
            body = "[]";
        } else {
            if (t.dtype() == DType.FLOAT64) {
                suffixes.add("dtype=" + t.dtype().torchName());
            }
            boolean summarize = t.numel() > opts.threshold();
            List<Tensor> sample = new ArrayList<>();
            if (summarize) {
                collectSummary(t.detach(), opts.edgeItems(), sample);
            } else {
                sample.add(t.detach());
            }
            TensorFormatter f = new TensorFormatter(t.dtype(), sample, opts);
            body = f.tensorStr(t.detach(), indent, summarize);
        }
        if (t.gradFn() != null) {
            suffixes.add("grad_fn=<" + t.gradFn().name() + ">");
        } else if (t.requiresGrad()) {
            suffixes.add("requires_grad=True");
        }
        return addSuffixes(prefix + body, suffixes, indent, opts.lineWidth());
    }

    private static String sizeTuple(int[] shape) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            b.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return shape.length == 1 ? b + "," : b.toString();
    }

    private static String addSuffixes(String tensorStr, List<String> suffixes, int indent, int lineWidth) {
        StringBuilder out = new StringBuilder(tensorStr);
        int lastLineLen = tensorStr.length() - tensorStr.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLineLen + suffix.length() + 2 > lineWidth) {
                out.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLineLen = indent + suffix.length();
            } else {
                out.append(", ").append(suffix);
                lastLineLen += suffix.length() + 2;
            }
        }
        return out.append(')').toString();
    }

    /**
     * The parts of {@code t} PyTorch's get_summarized_data keeps: the edge items of every
     * dimension. For a vector the edges are Python slices {@code [:e]} and {@code [-e:]}, so with
     * edgeitems 0 the tail is the whole vector (PyTorch 1.13 prints {@code [ ..., 0., 1., ...]}).
     */
    private static void collectSummary(Tensor t, int edge, List<Tensor> out) {
        int dim = t.dim();
        if (dim == 0) {
            out.add(t);
            return;
        }
        int n = t.size(0);
        if (dim == 1) {
            if (n > 2 * edge) {
                out.add(t.narrow(0, 0, edge));
                out.add(tail(t, edge));
            } else {
                out.add(t);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            if (n > 2 * edge && i >= edge && i < n - edge) {
                continue;
            }
            collectSummary(t.select(0, i), edge, out);
        }
    }

    /** Python's {@code v[-e:]}: the last e items, or all of them when e is 0. */
    private static Tensor tail(Tensor v, int edge) {
        int n = v.size(0);
        return edge == 0 ? v : v.narrow(0, n - edge, edge);
    }

    private String tensorStr(Tensor t, int indent, boolean summarize) {
        int dim = t.dim();
        if (dim == 0) {
            return formatAll(t).get(0);
        }
        if (dim == 1) {
            return vectorStr(t, indent, summarize);
        }
        int edge = opts.edgeItems();
        int n = t.size(0);
        List<String> slices = new ArrayList<>();
        Tensor d = t.detach();
        if (summarize && n > 2 * edge) {
            for (int i = 0; i < edge; i++) {
                slices.add(tensorStr(d.select(0, i), indent + 1, summarize));
            }
            slices.add("...");
            for (int i = n - edge; i < n; i++) {
                slices.add(tensorStr(d.select(0, i), indent + 1, summarize));
            }
        } else {
            for (int i = 0; i < n; i++) {
                slices.add(tensorStr(d.select(0, i), indent + 1, summarize));
            }
        }
        String sep = "," + "\n".repeat(dim - 1) + " ".repeat(indent + 1);
        return "[" + String.join(sep, slices) + "]";
    }

    private String vectorStr(Tensor t, int indent, boolean summarize) {
        int elementLength = maxWidth + 2;
        int perLine = Math.max(1, (int) Math.floor((opts.lineWidth() - indent) / (double) elementLength));
        int edge = opts.edgeItems();
        List<String> data;
        if (summarize && t.size(0) > 2 * edge) {
            data = formatAll(t.narrow(0, 0, edge));
            data.add(" ...");
            data.addAll(formatAll(tail(t, edge)));
        } else {
            data = formatAll(t);
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < data.size(); i += perLine) {
            lines.add(String.join(", ", data.subList(i, Math.min(data.size(), i + perLine))));
        }
        return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
    }
}
