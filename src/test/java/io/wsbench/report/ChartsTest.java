package io.wsbench.report;

import io.wsbench.report.Charts.PercentilePoint;
import io.wsbench.report.Charts.ThroughputPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ChartsTest {

    @TempDir
    Path dir;

    @Test
    void aLatencyChartIsWrittenAsAPngOfTheChartsSizeAndAnSvg() throws IOException {
        Map<String, List<PercentilePoint>> series = new LinkedHashMap<>();
        series.put("netty", List.of(new PercentilePoint(50, 36.4), new PercentilePoint(90, 65.9),
                new PercentilePoint(99, 1627), new PercentilePoint(99.9, 8167), new PercentilePoint(100, 33390)));
        series.put("rawtcp", List.of(new PercentilePoint(50, 22.0), new PercentilePoint(99, 140)));
        XYChart chart = Charts.latencyByPercentile("Round-trip latency by percentile · 64 B · binary", series);

        Path png = Charts.write(chart, dir.resolve("charts"), "latency", true);

        assertThat(png).isEqualTo(dir.resolve("charts/latency.png"));
        assertPng(png);
        assertThat(Files.readString(dir.resolve("charts/latency.svg"))).contains("<svg");
        // the maximum (100 %) has no place on the 1/(1-p) axis and is left out
        assertThat(chart.getSeriesMap().get("netty").getXData()).containsExactly(
                new double[] {Charts.nines(50), 1, 2, 3}, within(1e-9));
        // whole decades around 22 µs … 8,167 µs, so both ends are labelled
        assertThat(chart.getStyler().getYAxisMin()).isEqualTo(10.0);
        assertThat(chart.getStyler().getYAxisMax()).isEqualTo(10_000.0);
        assertThat(chart.getXAxisTitle()).isEqualTo("percentile");
        assertThat(chart.getYAxisTitle()).isEqualTo("latency (µs, log scale)");
    }

    @Test
    void aThroughputChartIsWrittenAsAPngWithConnectionsOnALogAxis() throws IOException {
        Map<String, List<ThroughputPoint>> series = new LinkedHashMap<>();
        series.put("netty", List.of(new ThroughputPoint(1, 30_000, 500), new ThroughputPoint(10, 70_000, 900),
                new ThroughputPoint(100, 84_000, 1_000), new ThroughputPoint(1000, 81_000, Double.NaN)));
        XYChart chart = Charts.throughputVsConnections("Throughput vs connections · closed loop · 64 B · binary", series);

        assertPng(Charts.write(chart, dir, "throughput", false));
        assertThat(dir.resolve("throughput.svg")).as("SVG only when asked").doesNotExist();
        assertThat(chart.getStyler().isXAxisLogarithmic()).isTrue();
        assertThat(chart.getStyler().getXAxisMin()).isEqualTo(1.0);
        assertThat(chart.getStyler().getXAxisMax()).isEqualTo(1000.0);
        assertThat(chart.getStyler().getYAxisMin()).isEqualTo(0.0);
        assertThat(chart.getSeriesMap().get("netty").getExtraValues()).containsExactly(500, 900, 1_000, 0);
        assertThat(chart.getXAxisTitle()).isEqualTo("connections (log scale)");
        assertThat(chart.getYAxisTitle()).isEqualTo("echoed messages/s");
    }

    @Test
    void thePercentileAxisPutsEachNineOneUnitFurther() {
        assertThat(Charts.nines(0)).isEqualTo(0, within(1e-12));
        assertThat(Charts.nines(90)).isEqualTo(1, within(1e-12));
        assertThat(Charts.nines(99)).isEqualTo(2, within(1e-12));
        assertThat(Charts.nines(99.9)).isEqualTo(3, within(1e-9));
        assertThat(Charts.nines(99.99)).isEqualTo(4, within(1e-9));
    }

    /** A non-empty PNG that ImageIO reads back at the chart's size. */
    static void assertPng(Path png) throws IOException {
        assertThat(Files.size(png)).isGreaterThan(1_000);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("ImageIO reads %s", png).isNotNull();
        assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
        assertThat(image.getHeight()).isEqualTo(Charts.HEIGHT);
    }
}
