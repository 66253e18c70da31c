package dev.parley.bench.manpages;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A query of one class and the graded pages that answer it, keyed as the corpus keys its threads. */
public record LabelledQuery(String queryClass, String text, Map<String, Integer> grades) {

    /** Reads {@code query|page=grade,...} lines; {@code #} starts a comment line. */
    public static List<LabelledQuery> read(String queryClass, List<String> lines) {
        List<LabelledQuery> queries = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int bar = line.lastIndexOf('|');
            Map<String, Integer> grades = new LinkedHashMap<>();
            for (String label : line.substring(bar + 1).split(",")) {
                int eq = label.lastIndexOf('=');
                grades.put(label.substring(0, eq).strip(), Integer.parseInt(label.substring(eq + 1).strip()));
            }
            queries.add(new LabelledQuery(queryClass, line.substring(0, bar).strip(), grades));
        }
        return queries;
    }
}
