package dev.parley.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A throughput-against-concurrency line chart as a PNG, drawn with java.awt in headless mode so the
 * suite needs no plotting package. The x axis is logarithmic (concurrency doubles), y starts at 0.
 */
final class Plot {

    private static final int W = 800;
    private static final int H = 480;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0x9467bd)};

    private final String title;
    private final String yLabel;
    private final Map<String, List<LoadTools.Load>> series = new LinkedHashMap<>();

    Plot(String title, String yLabel) {
        this.title = title;
        this.yLabel = yLabel;
    }

    Plot series(String name, List<LoadTools.Load> points) {
        series.put(name, points);
        return this;
    }

    void write(Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);

        int minX = Integer.MAX_VALUE;
        int maxX = 1;
        double maxY = 1;
        for (List<LoadTools.Load> points : series.values()) {
            for (LoadTools.Load p : points) {
                minX = Math.min(minX, p.clients());
                maxX = Math.max(maxX, p.clients());
                maxY = Math.max(maxY, p.perSecond());
            }
        }
        minX = Math.min(minX, maxX);
        double yTop = niceCeiling(maxY * 1.08);
        double logMin = Math.log(minX);
        double logSpan = Math.max(Math.log(maxX) - logMin, 1e-9);
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

        // y grid and labels
        for (int i = 0; i <= 5; i++) {
            double value = yTop * i / 5;
            int y = TOP + plotH - (int) Math.round(plotH * value / yTop);
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            String label = String.format("%,.0f", value);
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        // x ticks at the measured concurrencies
        java.util.TreeSet<Integer> xs = new java.util.TreeSet<>();
        series.values().forEach(points -> points.forEach(p -> xs.add(p.clients())));
        for (int x : xs) {
            int px = LEFT + (int) Math.round(plotW * (Math.log(x) - logMin) / logSpan);
            g.setColor(new Color(0xeeeeee));
            g.drawLine(px, TOP, px, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            String label = String.valueOf(x);
            g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, TOP + plotH + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString("concurrent clients (log scale)", LEFT + plotW / 2 - 80, H - 18);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(TOP + plotH / 2 + 50), 18);
        rotated.dispose();

        int index = 0;
        for (Map.Entry<String, List<LoadTools.Load>> entry : series.entrySet()) {
            Color color = COLORS[index % COLORS.length];
            g.setColor(color);
            g.setStroke(new BasicStroke(2.5f));
            int prevX = -1;
            int prevY = -1;
            for (LoadTools.Load p : entry.getValue()) {
                int px = LEFT + (int) Math.round(plotW * (Math.log(p.clients()) - logMin) / logSpan);
                int py = TOP + plotH - (int) Math.round(plotH * p.perSecond() / yTop);
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, px, py);
                }
                g.fillOval(px - 4, py - 4, 8, 8);
                prevX = px;
                prevY = py;
            }
            int ly = TOP + 18 + index * 18;
            g.fillRect(LEFT + 14, ly - 9, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(entry.getKey(), LEFT + 38, ly - 3);
            index++;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static double niceCeiling(double value) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[]{1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
