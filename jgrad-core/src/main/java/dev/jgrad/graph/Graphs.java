package dev.jgrad.graph;

import dev.jgrad.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Pictures of a tensor's autograd graph, as torchviz draws them: one box per backward function
 * named as PyTorch names it, parameters (light blue) with their names and shapes, saved tensors
 * (orange), the output (green), arrows from each input to the node that uses it; optionally
 * values, gradients and local derivatives, and modules as boxes or collapsed. DOT always; SVG
 * from Graphviz's {@code dot} ({@link #graphviz}) or from jgrad's own layered layout ({@link #toSvg}).
 * <pre>{@code
 * String dot = Graphs.toDot(loss, new GraphOptions().names(model));
 * String svg = Graphs.graphvizAvailable() ? Graphs.graphviz(dot, "svg") : Graphs.toSvg(loss, new GraphOptions().names(model));
 * }</pre>
 */
public final class Graphs {
    private Graphs() {
    }

    /** The graph in Graphviz's DOT language. */
    public static String toDot(Tensor root, GraphOptions options) {
        GraphModel m = GraphModel.of(root, options);
        StringBuilder b = new StringBuilder("digraph {\n");
        b.append("\tgraph [size=\"12,12\" ranksep=0.3]\n");
        b.append("\tnode [fontname=monospace fontsize=10 height=0.2 shape=box style=filled]\n");
        Map<String, List<GraphModel.Box>> groups = new LinkedHashMap<>();
        for (GraphModel.Box box : m.boxes) {
            if (box.group != null && m.groupLabels.containsKey(box.group)) {
                groups.computeIfAbsent(box.group, k -> new ArrayList<>()).add(box);
                continue;
            }
            b.append('\t').append(node(box)).append('\n');
        }
        int k = 0;
        for (Map.Entry<String, List<GraphModel.Box>> g : groups.entrySet()) {
            b.append("\tsubgraph cluster_").append(k++).append(" {\n");
            b.append("\t\tlabel=").append(quote(m.groupLabels.get(g.getKey()))).append(" style=rounded fontname=monospace fontsize=10\n");
            for (GraphModel.Box box : g.getValue()) {
                b.append("\t\t").append(node(box)).append('\n');
            }
            b.append("\t}\n");
        }
        for (GraphModel.Arrow a : m.arrows) {
            b.append('\t').append(a.from()).append(" -> ").append(a.to()).append(a.dashed() ? " [style=dashed]" : "").append('\n');
        }
        return b.append("}\n").toString();
    }

    private static String node(GraphModel.Box box) {
        StringBuilder label = new StringBuilder();
        for (String line : box.lines) {
            label.append(escape(line)).append("\\l");
        }
        return box.id + " [label=\"" + label + "\" fillcolor=" + box.fill + "]";
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String quote(String s) {
        return "\"" + escape(s) + "\"";
    }

    /** The graph as SVG laid out by jgrad itself (layers top to bottom, no Graphviz needed). */
    public static String toSvg(Tensor root, GraphOptions options) {
        return SvgLayout.render(GraphModel.of(root, options));
    }

    /** True when Graphviz's {@code dot} is on the PATH. */
    public static boolean graphvizAvailable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, "dot");
            if (f.isFile() && f.canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code dot -T<format>} on DOT text and returns its output (e.g. format "svg"); fails if dot fails. */
    public static String graphviz(String dot, String format) throws IOException {
        Process p = new ProcessBuilder("dot", "-T" + format).redirectErrorStream(false).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
        errReader.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(dot.getBytes(StandardCharsets.UTF_8));
        }
        copy(p.getInputStream(), out);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("dot did not finish within 60 seconds");
            }
            errReader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for dot", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("dot failed (exit " + p.exitValue() + "): " + err.toString(StandardCharsets.UTF_8).strip());
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the exit code reports the failure
        }
    }
}
