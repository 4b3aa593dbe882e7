package io.imprint.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Draws a run as a PNG: devices sent and certificates answered per second above, latency p50 / p99 / max per
 * second below (log scale). Plain Java2D, headless, so the benchmark needs no plotting tool.
 */
final class LoadPlot {
    private static final int WIDTH = 1000;
    private static final int PANEL = 280;
    private static final int LEFT = 80;
    private static final int TOP = 40;
    private static final Color SENT = new Color(0x99, 0x99, 0x99);
    private static final Color ANSWERED = new Color(0x1f, 0x77, 0xb4);
    private static final Color P50 = new Color(0x2c, 0xa0, 0x2c);
    private static final Color P99 = new Color(0xd6, 0x27, 0x28);
    private static final Color MAX = new Color(0x94, 0x67, 0xbd);

    private LoadPlot() {}

    static void write(Path file, String title, LatencySeries series) {
        BufferedImage image = new BufferedImage(WIDTH, 2 * PANEL + 3 * TOP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 20);
        int seconds = Math.max(1, series.seconds());
        double maxRate = 1;
        double maxLatency = 1;
        for (int s = 0; s < seconds; s++) {
            maxRate = Math.max(maxRate, (double) Math.max(series.sentIn(s), series.answeredIn(s)));
            maxLatency = Math.max(maxLatency, series.percentileMillisIn(s, 100));
        }
        int rateTop = TOP;
        int latencyTop = 2 * TOP + PANEL;
        axes(g, rateTop, seconds, "devices/s", 0, niceCeiling(maxRate), false);
        double logMax = Math.max(1, Math.ceil(Math.log10(maxLatency)));
        axes(g, latencyTop, seconds, "latency ms (log)", 0, logMax, true);
        line(g, seconds, rateTop, SENT, s -> (double) series.sentIn(s), 0, niceCeiling(maxRate), false);
        line(g, seconds, rateTop, ANSWERED, s -> (double) series.answeredIn(s), 0, niceCeiling(maxRate), false);
        line(g, seconds, latencyTop, P50, s -> series.percentileMillisIn(s, 50), 0, logMax, true);
        line(g, seconds, latencyTop, P99, s -> series.percentileMillisIn(s, 99), 0, logMax, true);
        line(g, seconds, latencyTop, MAX, s -> series.percentileMillisIn(s, 100), 0, logMax, true);
        legend(g, rateTop, new String[] {"sent", "certificates and rejections"}, new Color[] {SENT, ANSWERED});
        legend(g, latencyTop, new String[] {"p50", "p99", "max"}, new Color[] {P50, P99, MAX});
        g.dispose();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private interface Value {
        double at(int second);
    }

    private static void line(
            Graphics2D g, int seconds, int top, Color color, Value value, double low, double high, boolean log) {
        g.setColor(color);
        g.setStroke(new BasicStroke(1.5f));
        int lastX = -1;
        int lastY = -1;
        for (int s = 0; s < seconds; s++) {
            double v = value.at(s);
            if (v < 0 || (log && v <= 0)) {
                lastX = -1;
                continue;
            }
            double scaled = log ? Math.log10(Math.max(v, 1)) : v;
            int x = LEFT + (int) ((WIDTH - LEFT - 20) * (s + 0.5) / seconds);
            int y = top + PANEL - (int) (PANEL * (scaled - low) / (high - low));
            if (lastX >= 0) {
                g.drawLine(lastX, lastY, x, y);
            }
            lastX = x;
            lastY = y;
        }
    }

    private static void axes(Graphics2D g, int top, int seconds, String label, double low, double high, boolean log) {
        g.setColor(Color.LIGHT_GRAY);
        g.setStroke(new BasicStroke(1f));
        // a linear axis in quarters, a log axis at every power of ten
        int ticks = log ? Math.max(1, (int) high) : 4;
        for (int i = 0; i <= ticks; i++) {
            int y = top + PANEL - PANEL * i / ticks;
            g.drawLine(LEFT, y, WIDTH - 20, y);
            double v = low + (high - low) * i / ticks;
            g.setColor(Color.DARK_GRAY);
            g.drawString(log ? String.format("%.0f", Math.pow(10, v)) : String.format("%.0f", v), 10, y + 4);
            g.setColor(Color.LIGHT_GRAY);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, top, WIDTH - 20 - LEFT, PANEL);
        g.drawString(label, LEFT + 5, top + 14);
        g.drawString(seconds + " s", WIDTH - 60, top + PANEL + 14);
    }

    private static void legend(Graphics2D g, int top, String[] names, Color[] colors) {
        int x = WIDTH - 260;
        for (int i = 0; i < names.length; i++) {
            g.setColor(colors[i]);
            g.fillRect(x, top + 8 + 16 * i, 12, 4);
            g.setColor(Color.BLACK);
            g.drawString(names[i], x + 18, top + 14 + 16 * i);
        }
    }

    private static double niceCeiling(double value) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
