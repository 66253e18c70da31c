package dev.parley.bench.manpages;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Ranking quality of one answer against graded labels (grade 1 or 2; unlabelled means not relevant).
 * <ul>
 *   <li>recall@5: the labelled pages in the first five, over the number of labelled pages capped at five,
 *       so that a query with more relevant pages than places can still reach 1;</li>
 *   <li>MRR@10: one over the rank of the first labelled page in the first ten, 0 when none is;</li>
 *   <li>nDCG@10: gains 2^grade - 1 discounted by log2(rank + 1), over the ideal ordering of the labels.</li>
 * </ul>
 */
public final class RankingMetrics {

    public record Scores(double recallAt5, double mrrAt10, double ndcgAt10) {
    }

    private RankingMetrics() {
    }

    public static Scores score(List<String> ranked, Map<String, Integer> grades) {
        int relevant = (int) grades.values().stream().filter(g -> g > 0).count();
        if (relevant == 0) {
            throw new IllegalArgumentException("a query needs at least one relevant page");
        }
        long found = ranked.stream().limit(5).filter(key -> grades.getOrDefault(key, 0) > 0).count();
        double recall = found / (double) Math.min(5, relevant);
        double reciprocal = 0;
        double dcg = 0;
        for (int i = 0; i < Math.min(10, ranked.size()); i++) {
            int grade = grades.getOrDefault(ranked.get(i), 0);
            if (grade > 0 && reciprocal == 0) {
                reciprocal = 1.0 / (i + 1);
            }
            dcg += gain(grade) / log2(i + 2);
        }
        List<Integer> ideal = new ArrayList<>(grades.values());
        ideal.sort(Comparator.reverseOrder());
        double idcg = 0;
        for (int i = 0; i < Math.min(10, ideal.size()); i++) {
            idcg += gain(ideal.get(i)) / log2(i + 2);
        }
        return new Scores(recall, reciprocal, dcg / idcg);
    }

    private static double gain(int grade) {
        return Math.pow(2, grade) - 1;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
