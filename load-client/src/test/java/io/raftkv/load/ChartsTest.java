package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PNG plots and the percentile curve behind them. */
class ChartsTest {
  @TempDir Path dir;

  @Test
  void everyAxisKindWritesAReadablePngOfTheConfiguredSize() throws IOException {
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    series.put("vanilla", List.of(new double[] {1, 100}, new double[] {4, 300}));
    series.put("optimized", List.of(new double[] {1, 120}, new double[] {4, 900}));
    for (Charts.XAxis kind : Charts.XAxis.values()) {
      Path file = dir.resolve(kind + ".png");
      boolean logY = kind == Charts.XAxis.NINES;
      Charts.line(
          file, "title", "x", "y", series, kind, logY, new Charts.Marker(2, "leader killed"));
      BufferedImage image = ImageIO.read(file.toFile());
      assertEquals(Charts.WIDTH, image.getWidth(), kind.toString());
      assertEquals(Charts.HEIGHT, image.getHeight(), kind.toString());
      assertTrue(Files.size(file) > 5_000, kind + " is " + Files.size(file) + " bytes");
    }
  }

  @Test
  void thePercentileCurveRisesAndEndsAtTheMaximum() {
    Histogram h = ReportTest.linear(1, 10_000); // 1 us .. 10 ms
    List<double[]> curve = Charts.percentileCurve(h);
    assertTrue(curve.size() > 50, "points: " + curve.size());
    double previousX = -1;
    double previousY = 0;
    for (double[] p : curve) {
      assertTrue(p[0] >= previousX && p[1] >= previousY, p[0] + " " + p[1]);
      previousX = p[0];
      previousY = p[1];
    }
    double[] last = curve.get(curve.size() - 1);
    assertEquals(4.0, last[0], 1e-9); // log10(10,000 samples)
    assertEquals(h.getMaxValue() / 1e6, last[1], 1e-9);
    assertEquals(List.of(), Charts.percentileCurve(new Histogram(3)));
  }

  @Test
  void theNinesScaleIsLabelledAsPercentiles() {
    Charts.NinesFormat f = new Charts.NinesFormat();
    assertEquals("0%", f.format(0.0));
    assertEquals("90%", f.format(1.0));
    assertEquals("99%", f.format(2.0));
    assertEquals("99.9%", f.format(3.0));
    assertEquals("99.999%", f.format(5.0));
  }
}
