package dev.parley.bench.manpages;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a semantic score floor would cost and buy on a benchmark: for each candidate floor, the share of
 * labelled queries whose first relevant result in the top 10 still reaches it (what the floor costs),
 * and the share of off-topic queries (no page answers them) whose best result falls below it, so that
 * the search says it found nothing (what the floor buys). Scores are the search's own, run with no floor.
 */
public final class FloorCalibration {

    /** Best score of each off-topic query. */
    private final List<Double> offTopicBest = new ArrayList<>();
    /** Score of the first relevant result of each labelled query that has one in its top 10. */
    private final List<Double> firstRelevant = new ArrayList<>();
    private int labelled;

    /** A labelled query's ranking, keys and scores best first. */
    public void labelled(List<String> keys, List<Double> scores, Map<String, Integer> grades) {
        labelled++;
        for (int i = 0; i < keys.size(); i++) {
            if (grades.getOrDefault(keys.get(i), 0) > 0) {
                firstRelevant.add(scores.get(i));
                return;
            }
        }
    }

    /** An off-topic query's scores, best first. */
    public void offTopic(List<Double> scores) {
        offTopicBest.add(scores.isEmpty() ? Double.NEGATIVE_INFINITY : scores.get(0));
    }

    /** A Markdown table, one row per floor. */
    public String table(double from, double to, double step) {
        StringBuilder out = new StringBuilder("| floor | labelled queries keeping their first relevant result"
                + " (of " + labelled + ") | off-topic queries answered \"no good match\" (of " + offTopicBest.size()
                + ") |\n|---:|---:|---:|\n");
        for (double floor = from; floor <= to + 1e-9; floor += step) {
            double f = floor;
            long kept = firstRelevant.stream().filter(s -> s >= f).count();
            long empty = offTopicBest.stream().filter(s -> s < f).count();
            out.append(String.format(Locale.ROOT, "| %.2f | %d (%.1f%%) | %d (%.1f%%) |%n", f, kept,
                    100.0 * kept / labelled, empty, 100.0 * empty / offTopicBest.size()));
        }
        double maxOff = offTopicBest.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        List<Double> sorted = firstRelevant.stream().sorted().toList();
        out.append(String.format(Locale.ROOT, "%nOff-topic best scores: max %.3f; first relevant scores: min %.3f,"
                        + " 5th percentile %.3f, median %.3f.%n", maxOff, sorted.isEmpty() ? Double.NaN : sorted.get(0),
                percentile(sorted, 0.05), percentile(sorted, 0.5)));
        return out.toString();
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.floor(p * (sorted.size() - 1)));
    }
}
