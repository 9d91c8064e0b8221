package io.raftkv.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNG line charts with JFreeChart, rendered headless: one line per series, points as {@code {x, y}}
 * pairs. The x axis is linear, logarithmic base 2 (client counts), or the "nines" scale of latency
 * percentile plots (x = -log10(1 - q), labelled 0%, 90%, 99%, 99.9%, ...).
 */
public final class Charts {
  /** The kind of x axis. */
  public enum XAxis {
    LINEAR,
    LOG2,
    NINES
  }

  /** A vertical line across the plot, e.g. the moment the leader was killed. */
  public record Marker(double x, String label) {}

  static final int WIDTH = 900;
  static final int HEIGHT = 560;
  static final int MAX_POINTS_WITH_SHAPES = 40;

  private static final Color[] COLORS = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0xff7f0e),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x17becf),
    new Color(0x7f7f7f),
    new Color(0xbcbd22)
  };

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /** Writes a line chart to {@code file}; series are drawn in map order. */
  public static void line(
      Path file,
      String title,
      String xLabel,
      String yLabel,
      Map<String, List<double[]>> series,
      XAxis xAxis,
      boolean logY,
      Marker marker)
      throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
      XYSeries s = new XYSeries(e.getKey(), false, true);
      for (double[] p : e.getValue()) {
        if ((xAxis != XAxis.LOG2 || p[0] > 0) && (!logY || p[1] > 0)) {
          s.add(p[0], p[1]);
        }
      }
      data.addSeries(s);
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    int most = 0;
    for (List<double[]> points : series.values()) {
      most = Math.max(most, points.size());
    }
    // Marks on the points only where there are few of them; dense lines read better bare.
    XYLineAndShapeRenderer renderer =
        new XYLineAndShapeRenderer(true, xAxis != XAxis.NINES && most <= MAX_POINTS_WITH_SHAPES);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    plot.setRenderer(renderer);
    plot.setDomainAxis(domainAxis(xAxis, xLabel));
    if (logY) {
      // Latencies span orders of magnitude between configurations: a log scale keeps all legible.
      // LogarithmicAxis ticks at 1..9 x 10^n, with round labels (LogAxis labels are not round).
      LogarithmicAxis y = new LogarithmicAxis(yLabel);
      y.setStrictValuesFlag(false);
      y.setAutoRangeNextLogFlag(true);
      y.setNumberFormatOverride(new DecimalFormat("0.###"));
      plot.setRangeAxis(y);
    } else {
      ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
    }
    if (marker != null) {
      ValueMarker m = new ValueMarker(marker.x(), Color.BLACK, new BasicStroke(1.5f));
      m.setLabel(marker.label());
      m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
      m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
      plot.addDomainMarker(m);
    }
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
  }

  private static org.jfree.chart.axis.ValueAxis domainAxis(XAxis kind, String label) {
    switch (kind) {
      case LOG2 -> {
        LogAxis axis = new LogAxis(label);
        axis.setBase(2);
        axis.setTickUnit(new NumberTickUnit(1));
        axis.setNumberFormatOverride(new DecimalFormat("0"));
        axis.setSmallestValue(0.5);
        return axis;
      }
      case NINES -> {
        NumberAxis axis = new NumberAxis(label);
        axis.setTickUnit(new NumberTickUnit(1, new NinesFormat()));
        axis.setAutoRangeIncludesZero(true);
        return axis;
      }
      default -> {
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(true);
        return axis;
      }
    }
  }

  /**
   * The percentile curve of {@code h} on the nines scale: points {@code {-log10(1 - q), value in
   * ms}} from q = 0 up to the largest percentile the sample count supports, and the maximum.
   */
  public static List<double[]> percentileCurve(Histogram h) {
    List<double[]> points = new ArrayList<>();
    long n = h.getTotalCount();
    if (n == 0) {
      return points;
    }
    double maxX = Math.log10(n);
    for (int step = 0; step <= 120 && step / 20.0 <= maxX; step++) {
      double x = step / 20.0;
      double q = 100 * (1 - Math.pow(10, -x));
      points.add(new double[] {x, h.getValueAtPercentile(q) / 1e6});
    }
    points.add(new double[] {maxX, h.getMaxValue() / 1e6});
    return points;
  }

  /** Labels x = -log10(1 - q) as the percentile q: 0 -> 0%, 1 -> 90%, 2 -> 99%, 3 -> 99.9%. */
  static final class NinesFormat extends NumberFormat {
    private static final long serialVersionUID = 1L;

    @Override
    public StringBuffer format(double x, StringBuffer to, FieldPosition pos) {
      long nines = Math.round(x);
      if (nines <= 0) {
        return to.append("0%");
      }
      if (nines == 1) {
        return to.append("90%");
      }
      return to.append("99").append(nines > 2 ? "." + "9".repeat((int) nines - 2) : "").append('%');
    }

    @Override
    public StringBuffer format(long x, StringBuffer to, FieldPosition pos) {
      return format((double) x, to, pos);
    }

    @Override
    public Number parse(String source, ParsePosition pos) {
      throw new UnsupportedOperationException("labels only");
    }
  }

  /** Formats for file names: {@code 16} -> {@code c16}. */
  static String clientsTag(int clients) {
    return String.format(Locale.ROOT, "c%d", clients);
  }
}
