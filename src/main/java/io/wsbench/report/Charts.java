package io.wsbench.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report's charts, drawn with XChart and written as PNG (and SVG, for zooming into tails). */
final class Charts {

    static final int WIDTH = 900;
    static final int HEIGHT = 540;
    /** Beyond this many points a line's markers would hide the line: full hlog distributions. */
    private static final int MAX_MARKED_POINTS = 20;

    /** A chart and the file name (without extension) it is written under. */
    record NamedChart(String name, String title, XYChart chart) {
    }

    /** Latency {@code micros} at {@code percentile} (0..100). */
    record PercentilePoint(double percentile, double micros) {
    }

    /** Throughput at a number of connections, with JMH's error (NaN when there is none). */
    record ThroughputPoint(int connections, double perSecond, double error) {
    }

    private Charts() {
    }

    /**
     * Latency against percentile, one line per series, in the HdrHistogram style: the x axis is
     * log10(1/(1-p)), so 90 %, 99 %, 99.9 % … are equally spaced and the tail gets the room. Points at
     * 100 % (the maximum) have no place on that axis and are left out; y is log-scaled because tails
     * are often 100× the median.
     */
    static XYChart latencyByPercentile(String title, Map<String, List<PercentilePoint>> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("percentile").yAxisTitle("latency (µs, log scale)").build();
        style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(Charts::percentileTick);
        double maxX = 1;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = 0;
        for (Map.Entry<String, List<PercentilePoint>> s : series.entrySet()) {
            List<PercentilePoint> points = s.getValue().stream()
                    .filter(p -> p.percentile() < 100.0 && p.micros() > 0)
                    .toList();
            if (points.isEmpty()) {
                continue;
            }
            double[] x = points.stream().mapToDouble(p -> nines(p.percentile())).toArray();
            double[] y = points.stream().mapToDouble(PercentilePoint::micros).toArray();
            XYSeries line = chart.addSeries(s.getKey(), x, y);
            if (points.size() > MAX_MARKED_POINTS) {
                line.setMarker(SeriesMarkers.NONE);
            }
            maxX = Math.max(maxX, Math.ceil(x[x.length - 1] - 1e-9));
            minY = Math.min(minY, Arrays.stream(y).min().orElseThrow());
            maxY = Math.max(maxY, Arrays.stream(y).max().orElseThrow());
        }
        chart.getStyler().setXAxisMax(maxX);
        if (maxY > 0) {
            // whole decades, so that both ends of the log axis carry a label
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(minY))));
            chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(maxY))));
        }
        return chart;
    }

    /** Throughput against connections, one line per server, log x axis (1, 10, 100, 1000), y from zero. */
    static XYChart throughputVsConnections(String title, Map<String, List<ThroughputPoint>> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("connections (log scale)").yAxisTitle("echoed messages/s").build();
        style(chart);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.getStyler().setYAxisMin(0.0);
        int maxConnections = 1;
        for (Map.Entry<String, List<ThroughputPoint>> s : series.entrySet()) {
            List<ThroughputPoint> points = s.getValue();
            double[] x = points.stream().mapToDouble(ThroughputPoint::connections).toArray();
            double[] y = points.stream().mapToDouble(ThroughputPoint::perSecond).toArray();
            double[] error = points.stream().mapToDouble(p -> Double.isNaN(p.error()) ? 0 : p.error()).toArray();
            chart.addSeries(s.getKey(), x, y, error);
            maxConnections = Math.max(maxConnections, points.stream().mapToInt(ThroughputPoint::connections).max().orElse(1));
        }
        chart.getStyler().setXAxisMin(1.0);
        chart.getStyler().setXAxisMax(Math.pow(10, Math.ceil(Math.log10(maxConnections))));
        return chart;
    }

    /** Writes {@code name}.png, and {@code name}.svg when asked (for zooming into tails), into {@code dir}; returns the PNG. */
    static Path write(XYChart chart, Path dir, String name, boolean svg) {
        Path png = dir.resolve(name + ".png");
        try {
            Files.createDirectories(dir);
            try (OutputStream out = Files.newOutputStream(png)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
            if (svg) {
                try (OutputStream out = Files.newOutputStream(dir.resolve(name + ".svg"))) {
                    VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + png + ": " + e.getMessage(), e);
        }
        return png;
    }

    /** {@code prefix_kind_payloadBytes-64_type-binary}: a file name (without extension) safe on any file system. */
    static String fileName(String prefix, String kind, Map<String, String> params) {
        StringBuilder name = new StringBuilder(prefix).append('_').append(kind);
        params.forEach((key, value) -> name.append('_').append(key).append('-').append(value));
        return name.toString().replaceAll("[^A-Za-z0-9._-]", "-");
    }

    /** The HdrHistogram percentile axis: 0 at 0 %, 1 at 90 %, 2 at 99 %, 3 at 99.9 % … */
    static double nines(double percentile) {
        return Math.log10(100.0 / (100.0 - percentile));
    }

    /** Labels whole nines only (0 %, 90 %, 99 %, 99.9 % …); XChart also places ticks in between. */
    private static String percentileTick(double nines) {
        long whole = Math.round(nines);
        if (Math.abs(nines - whole) > 1e-6 || whole < 0) {
            return "";
        }
        if (whole == 0) {
            return "0%";
        }
        if (whole == 1) {
            return "90%";
        }
        return "99" + (whole > 2 ? "." + "9".repeat((int) whole - 2) : "") + "%";
    }

    private static void style(XYChart chart) {
        chart.getStyler().setLocale(Locale.ROOT);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new java.awt.Color(0xDDDDDD));
    }
}
