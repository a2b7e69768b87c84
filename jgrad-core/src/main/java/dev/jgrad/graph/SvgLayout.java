package dev.jgrad.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * jgrad's own layered layout, for machines without Graphviz: each box goes one layer below the
 * lowest of its inputs (longest path), boxes within a layer are ordered by the mean position of
 * their neighbours (a few sweeps down and up), placed side by side near their neighbours, and
 * arrows are drawn as curves from the bottom of an input to the top of its user.
 */
final class SvgLayout {
    private static final double CHAR = 7.2;
    private static final double LINE = 15;
    private static final double PAD = 8;
    private static final double GAP_X = 24;
    private static final double GAP_Y = 44;
    private static final double MARGIN = 16;

    private SvgLayout() {
    }

    private static final class Placed {
        final GraphModel.Box box;
        final double w;
        final double h;
        int layer;
        double order;
        double x;
        double y;

        Placed(GraphModel.Box box) {
            this.box = box;
            int longest = 1;
            for (String l : box.lines) {
                longest = Math.max(longest, l.length());
            }
            this.w = longest * CHAR + 2 * PAD;
            this.h = box.lines.size() * LINE + 2 * PAD - 4;
        }

        double cx() {
            return x + w / 2;
        }
    }

    static String render(GraphModel m) {
        Map<String, Placed> byId = new HashMap<>();
        List<Placed> all = new ArrayList<>();
        for (GraphModel.Box b : m.boxes) {
            Placed p = new Placed(b);
            byId.put(b.id, p);
            all.add(p);
        }
        Map<String, List<String>> in = new HashMap<>();
        Map<String, List<String>> out = new HashMap<>();
        for (GraphModel.Arrow a : m.arrows) {
            in.computeIfAbsent(a.to(), k -> new ArrayList<>()).add(a.from());
            out.computeIfAbsent(a.from(), k -> new ArrayList<>()).add(a.to());
        }
        // layers: longest path from the sources (the graph is acyclic)
        boolean changed = true;
        int guard = 0;
        while (changed && guard++ <= all.size() + 1) {
            changed = false;
            for (GraphModel.Arrow a : m.arrows) {
                Placed f = byId.get(a.from());
                Placed t = byId.get(a.to());
                if (t.layer < f.layer + 1) {
                    t.layer = f.layer + 1;
                    changed = true;
                }
            }
        }
        // then every box with users moves down to just above its first user (parameters next to where they are used)
        changed = true;
        guard = 0;
        while (changed && guard++ <= all.size() + 1) {
            changed = false;
            for (Placed p : all) {
                List<String> users = out.getOrDefault(p.box.id, List.of());
                if (users.isEmpty()) {
                    continue;
                }
                int min = Integer.MAX_VALUE;
                for (String id : users) {
                    min = Math.min(min, byId.get(id).layer);
                }
                if (min - 1 > p.layer) {
                    p.layer = min - 1;
                    changed = true;
                }
            }
        }
        int layers = 0;
        for (Placed p : all) {
            layers = Math.max(layers, p.layer + 1);
        }
        List<List<Placed>> rows = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            rows.add(new ArrayList<>());
        }
        for (int i = 0; i < all.size(); i++) {
            Placed p = all.get(i);
            p.order = i;
            rows.get(p.layer).add(p);
        }
        // order within layers: barycentre sweeps
        for (int sweep = 0; sweep < 4; sweep++) {
            boolean down = sweep % 2 == 0;
            for (int li = 0; li < layers; li++) {
                List<Placed> row = rows.get(down ? li : layers - 1 - li);
                for (Placed p : row) {
                    List<String> nb = (down ? in : out).getOrDefault(p.box.id, List.of());
                    if (!nb.isEmpty()) {
                        double s = 0;
                        for (String id : nb) {
                            s += byId.get(id).order;
                        }
                        p.order = s / nb.size();
                    }
                }
                row.sort(Comparator.comparingDouble(p -> p.order));
                for (int i = 0; i < row.size(); i++) {
                    row.get(i).order = i;
                }
            }
        }
        // coordinates: rows packed, then pulled towards their neighbours without overlapping
        double y = MARGIN;
        double width = 0;
        for (List<Placed> row : rows) {
            double x = MARGIN;
            double h = 0;
            for (Placed p : row) {
                p.x = x;
                p.y = y;
                x += p.w + GAP_X;
                h = Math.max(h, p.h);
            }
            width = Math.max(width, x);
            y += h + GAP_Y;
        }
        for (int iter = 0; iter < 8; iter++) {
            boolean down = iter % 2 == 0;
            for (int li = 0; li < layers; li++) {
                List<Placed> row = rows.get(down ? li : layers - 1 - li);
                for (Placed p : row) {
                    List<String> nb = new ArrayList<>(in.getOrDefault(p.box.id, List.of()));
                    nb.addAll(out.getOrDefault(p.box.id, List.of()));
                    if (!nb.isEmpty()) {
                        double s = 0;
                        for (String id : nb) {
                            s += byId.get(id).cx();
                        }
                        p.x = s / nb.size() - p.w / 2;
                    }
                }
                // keep the order without overlaps: push right where needed, then back left where that overshot
                for (int i = 1; i < row.size(); i++) {
                    Placed a = row.get(i - 1);
                    row.get(i).x = Math.max(row.get(i).x, a.x + a.w + GAP_X);
                }
                for (int i = row.size() - 2; i >= 0; i--) {
                    Placed b = row.get(i + 1);
                    Placed a = row.get(i);
                    double want = a.x;
                    a.x = Math.min(a.x, b.x - a.w - GAP_X);
                    if (a.x < want - 1e-9 && i == 0) {
                        break;
                    }
                }
            }
        }
        double minX = Double.POSITIVE_INFINITY;
        for (Placed p : all) {
            minX = Math.min(minX, p.x);
        }
        for (Placed p : all) {
            p.x += MARGIN - minX;
        }
        width = 0;
        double height = 0;
        for (Placed p : all) {
            width = Math.max(width, p.x + p.w + MARGIN);
            height = Math.max(height, p.y + p.h + MARGIN);
        }
        StringBuilder b = new StringBuilder();
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">%n",
                width, height, width, height));
        b.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" "
                + "orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"black\"/></marker></defs>\n");
        b.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>%n", width, height));
        for (GraphModel.Arrow a : m.arrows) {
            Placed f = byId.get(a.from());
            Placed t = byId.get(a.to());
            double x1 = f.cx();
            double y1 = f.y + f.h;
            double x2 = t.cx();
            double y2 = t.y;
            double dy = Math.max(20, (y2 - y1) / 2);
            b.append(String.format(Locale.ROOT, "<path d=\"M %.1f %.1f C %.1f %.1f %.1f %.1f %.1f %.1f\" fill=\"none\" stroke=\"black\" "
                    + "stroke-width=\"1\"%s marker-end=\"url(#arrow)\"/>%n", x1, y1, x1, y1 + dy, x2, y2 - dy, x2, y2,
                    a.dashed() ? " stroke-dasharray=\"4 3\"" : ""));
        }
        for (Placed p : all) {
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"black\"/>%n",
                    p.x, p.y, p.w, p.h, color(p.box.fill)));
            b.append(String.format(Locale.ROOT, "<text font-family=\"monospace\" font-size=\"12\" xml:space=\"preserve\" x=\"%.1f\" y=\"%.1f\">",
                    p.x + PAD, p.y + PAD + 8));
            for (int i = 0; i < p.box.lines.size(); i++) {
                b.append(String.format(Locale.ROOT, "<tspan x=\"%.1f\" dy=\"%s\">%s</tspan>", p.x + PAD, i == 0 ? "0" : "15",
                        xml(p.box.lines.get(i))));
            }
            b.append("</text>\n");
        }
        return b.append("</svg>\n").toString();
    }

    /** Graphviz colour names as SVG colours. */
    static String color(String graphviz) {
        switch (graphviz) {
            case GraphModel.FN: return "#d3d3d3";
            case GraphModel.VARIABLE: return "#add8e6";
            case GraphModel.SAVED: return "#ffa500";
            case GraphModel.OUTPUT: return "#caff70";
            case GraphModel.MODULE: return "#ffffe0";
            default: return graphviz;
        }
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
