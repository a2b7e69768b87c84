package dev.jgrad.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The plots of {@code jgrad train --plots DIR} (XChart), each as PNG and SVG: per-epoch loss
 * curves ({@code loss.*}), accuracy curves ({@code accuracy.*}) for classification, and for data with
 * two features a decision-boundary plot ({@code boundary.*}): the model's class over a grid
 * covering the data, with the training points on top.
 * <pre>{@code
 * Map<String, byte[]> files = Plots.curves(history, "loss", List.of("train_loss", "val_loss"), "loss");
 * }</pre>
 */
final class Plots {
    private static final Color[] CLASS_COLORS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private Plots() {
    }

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * Curves of the history columns {@code columns} (those present) against the epoch, as
     * {@code NAME.png} and {@code NAME.svg}; empty when none of the columns is present.
     */
    static Map<String, byte[]> curves(Map<String, List<Double>> history, String name, List<String> columns, String yTitle) throws IOException {
        List<Double> epochs = history.get("epoch");
        XYChart chart = new XYChartBuilder().width(800).height(500).title(yTitle + " per epoch").xAxisTitle("epoch").yAxisTitle(yTitle).build();
        style(chart);
        // losses fall and accuracies rise: keep the legend in the corner the curves leave free
        chart.getStyler().setLegendPosition(yTitle.equals("accuracy") ? Styler.LegendPosition.InsideSE : Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisDecimalPattern("0");
        int n = 0;
        for (String c : columns) {
            List<Double> v = history.get(c);
            if (v == null || v.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(c.replace('_', ' '), epochs, v);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineStyle(new BasicStroke(2f));
            s.setLineColor(CLASS_COLORS[n % CLASS_COLORS.length]);
            s.setMarkerColor(CLASS_COLORS[n % CLASS_COLORS.length]);
            n++;
        }
        if (n == 0 || epochs == null || epochs.isEmpty()) {
            return Map.of();
        }
        return encode(chart, name);
    }

    /**
     * The decision boundary of a 2-D classifier: {@code classify} maps grid points [M, 2] (rows
     * x, y) to their classes; {@code x} [N, 2] and {@code y} [N] are the training points.
     */
    static Map<String, byte[]> boundary(float[] x, long[] y, int numClasses, Function<float[], long[]> classify) throws IOException {
        int n = y.length;
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, x[2 * i]);
            maxX = Math.max(maxX, x[2 * i]);
            minY = Math.min(minY, x[2 * i + 1]);
            maxY = Math.max(maxY, x[2 * i + 1]);
        }
        double padX = (maxX - minX) * 0.08 + 1e-3;
        double padY = (maxY - minY) * 0.08 + 1e-3;
        minX -= padX;
        maxX += padX;
        minY -= padY;
        maxY += padY;
        int g = 90;
        float[] grid = new float[2 * g * g];
        for (int r = 0; r < g; r++) {
            for (int c = 0; c < g; c++) {
                grid[2 * (r * g + c)] = (float) (minX + (maxX - minX) * (c + 0.5) / g);
                grid[2 * (r * g + c) + 1] = (float) (minY + (maxY - minY) * (r + 0.5) / g);
            }
        }
        long[] cls = classify.apply(grid);
        XYChart chart = new XYChartBuilder().width(700).height(620).title("decision boundary and training data").xAxisTitle("x1")
                .yAxisTitle("x2").build();
        style(chart);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisMin(minX).setXAxisMax(maxX).setYAxisMin(minY).setYAxisMax(maxY);
        int k = Math.max(numClasses, 2);
        for (int c = 0; c < k; c++) {
            List<Double> gx = new ArrayList<>();
            List<Double> gy = new ArrayList<>();
            for (int i = 0; i < cls.length; i++) {
                if (cls[i] == c) {
                    gx.add((double) grid[2 * i]);
                    gy.add((double) grid[2 * i + 1]);
                }
            }
            if (gx.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries("region " + c, gx, gy);
            s.setMarker(SeriesMarkers.SQUARE);
            s.setMarkerColor(light(CLASS_COLORS[c % CLASS_COLORS.length]));
            s.setShowInLegend(false);
        }
        for (int c = 0; c < k; c++) {
            List<Double> px = new ArrayList<>();
            List<Double> py = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (y[i] == c) {
                    px.add((double) x[2 * i]);
                    py.add((double) x[2 * i + 1]);
                }
            }
            if (px.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries("class " + c, px, py);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(CLASS_COLORS[c % CLASS_COLORS.length]);
        }
        chart.getStyler().setMarkerSize(7);
        return encode(chart, "boundary");
    }

    private static Color light(Color c) {
        return new Color((c.getRed() + 3 * 255) / 4, (c.getGreen() + 3 * 255) / 4, (c.getBlue() + 3 * 255) / 4);
    }

    private static void style(XYChart chart) {
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
        chart.getStyler().setLegendBorderColor(new Color(0xcccccc));
        chart.getStyler().setAntiAlias(true);
    }

    private static Map<String, byte[]> encode(XYChart chart, String name) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put(name + ".png", BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        out.put(name + ".svg", svg.toByteArray());
        return out;
    }
}
