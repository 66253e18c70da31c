package dev.parley.contract;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every relative link in README.md and docs/*.md resolves inside the repository: the file exists, and
 * a {@code #fragment} names a heading of the Markdown file it points to (GitHub's anchor rules).
 */
class DocLinksTest {

    /** [text](target) and ![alt](target); the target ends at whitespace or the closing parenthesis. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```");
    private static final Pattern CODE = Pattern.compile("`[^`\\n]*`");

    @Test
    void everyRelativeLinkOfTheReadmeAndTheDocsResolves() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path file : files) {
            for (String target : relativeLinks(Files.readString(file))) {
                checked++;
                String problem = problemOf(file, target);
                if (problem != null) {
                    broken.add(file + ": " + target + " (" + problem + ")");
                }
            }
        }
        assertTrue(checked > 10, "only " + checked + " relative links found: is the parser blind?");
        assertEquals(List.of(), broken, "broken relative links");
    }

    @Test
    void anchorsFollowGitHubsRules() {
        assertEquals(Set.of("rate-limits", "get-apimoderationstatstimelinesinceuntilbucket--moderator",
                        "statement-of-reasons-and-appeals-issue-14", "fields", "fields-1"),
                anchors("## Rate limits\n#### GET /api/moderation/stats/timeline?since=&until=&bucket= — moderator\n"
                        + "### Statement of reasons and appeals (issue 14)\n### Fields\n```\n# not a heading\n```\n### Fields\n"));
        assertEquals(List.of("a.md#x", "b.png"),
                relativeLinks("[a](a.md#x) ![b](b.png) [web](https://example.org) `[c](c.md)`\n```\n[d](d.md)\n```\n"));
    }

    static List<String> relativeLinks(String markdown) {
        String text = CODE.matcher(FENCE.matcher(markdown).replaceAll("")).replaceAll("");
        List<String> links = new ArrayList<>();
        Matcher m = LINK.matcher(text);
        while (m.find()) {
            String target = m.group(1);
            if (!target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) { // http:, https:, mailto: are not files
                links.add(target);
            }
        }
        return links;
    }

    private static String problemOf(Path from, String target) throws IOException {
        int hash = target.indexOf('#');
        String pathPart = hash < 0 ? target : target.substring(0, hash);
        Path resolved = pathPart.isEmpty() ? from : from.toAbsolutePath().getParent().resolve(pathPart).normalize();
        Path root = Path.of("").toAbsolutePath();
        if (!resolved.toAbsolutePath().normalize().startsWith(root)) {
            return "outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (hash >= 0 && resolved.toString().endsWith(".md")
                && !anchors(Files.readString(resolved)).contains(target.substring(hash + 1))) {
            return "no such heading";
        }
        return null;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : FENCE.matcher(markdown).replaceAll("").split("\n")) {
            if (!line.matches("^#{1,6} .*")) {
                continue;
            }
            String slug = line.replaceFirst("^#+ ", "").trim().toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum) - 1;
            anchors.add(n == 0 ? slug : slug + "-" + n);
        }
        return anchors;
    }
}
