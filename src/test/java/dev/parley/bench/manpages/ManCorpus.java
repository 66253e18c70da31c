package dev.parley.bench.manpages;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a manual page into a forum thread: the title names the page, the opening post is its NAME line,
 * synopsis and the start of its description, and the rest of its sections follow as replies of forum
 * length. Boilerplate sections (library, attributes, standards, colophon, bug-reporting addresses)
 * are left out, as a forum thread would not repeat them.
 */
public final class ManCorpus {

    /** The opening post's length in words, beyond which the description continues in replies. */
    static final int FIRST_POST_WORDS = 300;
    /** A reply's length in words (one input of the local model): paragraphs are grouped up to it, longer ones cut. */
    static final int REPLY_WORDS = 170;
    /** A section shorter than this joins the post before it, when that post has room. */
    static final int TINY_WORDS = 25;
    /** Posts per thread at most: the longest pages (proc(5), fcntl(2)) would otherwise be a tenth of the corpus. */
    static final int MAX_POSTS = 10;
    static final int MAX_TITLE_CHARS = 100;

    private static final Set<String> LEFT_OUT = Set.of("NAME", "SYNOPSIS", "LIBRARY", "COLOPHON", "ATTRIBUTES",
            "AUTHOR", "AUTHORS", "REPORTING BUGS", "COPYRIGHT", "STANDARDS", "CONFORMING TO", "HISTORY",
            "AVAILABILITY");
    private static final Pattern WORD = Pattern.compile("\\S+");

    /**
     * One page as a thread.
     *
     * @param key     the page's file name as {@code name(section)}, unique in the corpus
     * @param summary the NAME line's description with the page's names removed: the known-item query
     */
    public record Thread(String key, String title, List<String> posts, String summary) {
    }

    private ManCorpus() {
    }

    /** The thread for {@code page}, keyed {@code key}; empty posts when the page has no text to post. */
    public static Thread thread(String key, ManPage page) {
        String section = page.section().isEmpty() ? "" : " (" + page.section() + ")";
        List<String> names = page.names().isEmpty() ? List.of(page.name()) : page.names();
        StringBuilder title = new StringBuilder(names.get(0));
        for (int i = 1; i < names.size(); i++) {
            if (title.length() + names.get(i).length() + 2 + section.length() > MAX_TITLE_CHARS) {
                title.append(", …");
                break;
            }
            title.append(", ").append(names.get(i));
        }
        title.append(section);

        StringBuilder first = new StringBuilder(String.join(", ", names));
        if (!page.summary().isEmpty()) {
            first.append(" - ").append(page.summary());
        }
        for (ManPage.Section s : page.sections()) {
            if (s.heading().equalsIgnoreCase("SYNOPSIS")) {
                s.paragraphs().forEach(p -> first.append("\n\n").append(p));
            }
        }
        // The sections' text in order, cut into pieces of reply length; each remembers its heading.
        List<Piece> pieces = new ArrayList<>();
        for (ManPage.Section s : page.sections()) {
            if (LEFT_OUT.contains(s.heading().toUpperCase(Locale.ROOT))) {
                continue;
            }
            boolean start = true;
            for (String paragraph : s.paragraphs()) {
                for (String text : cut(paragraph, REPLY_WORDS)) {
                    pieces.add(new Piece(s.heading(), start, text));
                    start = false;
                }
            }
        }
        // The opening post: the NAME line, the synopsis and the first section's start (the description).
        int next = 0;
        while (next < pieces.size() && (next == 0 || !pieces.get(next).startsSection())) {
            Piece piece = pieces.get(next);
            if (words(first) + words(piece.text()) > FIRST_POST_WORDS && (next > 0 || words(first) >= FIRST_POST_WORDS / 2)) {
                break;
            }
            first.append("\n\n").append(piece.text());
            next++;
        }
        List<String> posts = new ArrayList<>();
        posts.add(first.toString().strip());
        // Replies: pieces grouped up to a reply's length, a new section under its heading.
        StringBuilder current = new StringBuilder();
        for (int i = next; i < pieces.size(); i++) {
            Piece piece = pieces.get(i);
            int sectionWords = piece.startsSection() ? sectionWords(pieces, i) : 0;
            int size = words(current) + words(piece.text());
            boolean fits = size <= REPLY_WORDS || (piece.startsSection() && sectionWords < TINY_WORDS
                    && words(current) + sectionWords <= REPLY_WORDS + TINY_WORDS);
            if (!current.isEmpty() && !fits) {
                posts.add(current.toString().strip());
                current.setLength(0);
            }
            boolean fresh = current.isEmpty();
            if (!fresh) {
                current.append("\n\n");
            }
            if (piece.startsSection() || fresh) {
                current.append(sentenceCase(piece.heading())).append('\n');
            }
            current.append(piece.text());
        }
        if (!current.isEmpty()) {
            posts.add(current.toString().strip());
        }
        return new Thread(key, title.toString(), posts.size() > MAX_POSTS ? List.copyOf(posts.subList(0, MAX_POSTS))
                : List.copyOf(posts), page.summary());
    }

    /** A piece of a section's text no longer than a reply. */
    private record Piece(String heading, boolean startsSection, String text) {
    }

    /** Words in the section that starts at {@code pieces[from]}. */
    private static int sectionWords(List<Piece> pieces, int from) {
        int total = words(pieces.get(from).text());
        for (int i = from + 1; i < pieces.size() && !pieces.get(i).startsSection(); i++) {
            total += words(pieces.get(i).text());
        }
        return total;
    }

    /** A paragraph in pieces of at most {@code maxWords} words, cut between lines where it has several. */
    static List<String> cut(String paragraph, int maxWords) {
        if (words(paragraph) <= maxWords) {
            return List.of(paragraph);
        }
        List<String> pieces = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        String[] units = paragraph.contains("\n") ? paragraph.split("\n") : paragraph.split(" ");
        String glue = paragraph.contains("\n") ? "\n" : " ";
        for (String unit : units) {
            if (!piece.isEmpty() && words(piece) + words(unit) > maxWords) {
                pieces.add(piece.toString().strip());
                piece.setLength(0);
            }
            piece.append(piece.isEmpty() ? "" : glue).append(unit);
        }
        if (!piece.toString().isBlank()) {
            pieces.add(piece.toString().strip());
        }
        return pieces;
    }

    static int words(CharSequence text) {
        int count = 0;
        var matcher = WORD.matcher(text);
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    /** "RETURN VALUE" as "Return value", the way a post would head it. */
    private static String sentenceCase(String heading) {
        String lower = heading.toLowerCase(Locale.ROOT);
        return lower.isEmpty() ? lower : Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
}
