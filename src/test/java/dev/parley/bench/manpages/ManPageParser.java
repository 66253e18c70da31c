package dev.parley.bench.manpages;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a manual page written in the man(7) macros (the Linux man-pages project, help2man output,
 * util-linux) into plain text. Written by hand because no Java library reads roff, and running groff
 * would lay the text out for a terminal (justified, hyphenated, paged) where a corpus wants paragraphs.
 *
 * <p>It knows the macros those pages use: headings ({@code .SH}, {@code .SS}), paragraphs and tagged
 * paragraphs ({@code .PP}, {@code .TP}, {@code .IP}), font macros (whose arguments it joins as roff
 * prints them), no-fill blocks ({@code .nf}, {@code .EX}) and tbl tables (cells separated by spaces).
 * Fonts, sizes and layout requests are dropped; escapes become the characters they print. Pages in the
 * BSD mdoc macros are not read ({@link #isMdoc}).
 */
public final class ManPageParser {

    /** Glyphs named by {@code \(xx} or {@code \[name]}, as the pages use them; unknown names print nothing. */
    private static final Map<String, String> GLYPHS = Map.ofEntries(
            Map.entry("aq", "'"), Map.entry("dq", "\""), Map.entry("em", "—"), Map.entry("en", "–"),
            Map.entry("bu", "•"), Map.entry("lq", "\""), Map.entry("rq", "\""), Map.entry("oq", "'"),
            Map.entry("cq", "'"), Map.entry("co", "©"), Map.entry("rg", "®"), Map.entry("tm", "™"),
            Map.entry("mu", "×"), Map.entry("ti", "~"), Map.entry("ha", "^"), Map.entry("rs", "\\"),
            Map.entry("ga", "`"), Map.entry("aa", "'"), Map.entry(">=", "≥"), Map.entry("<=", "≤"),
            Map.entry("->", "→"), Map.entry("<-", "←"), Map.entry("de", "°"), Map.entry("+-", "±"),
            Map.entry("ua", "↑"), Map.entry("da", "↓"), Map.entry("pl", "+"), Map.entry("mi", "-"),
            Map.entry("eq", "="), Map.entry("sl", "/"), Map.entry("hy", "-"), Map.entry("lB", "["),
            Map.entry("rB", "]"), Map.entry("lC", "{"), Map.entry("rC", "}"), Map.entry("la", "<"),
            Map.entry("ra", ">"), Map.entry("bv", "|"), Map.entry("or", "|"), Map.entry("ct", "¢"),
            Map.entry("Tm", "™"), Map.entry("R", "®"), Map.entry("ss", "ß"), Map.entry("no", "¬"),
            Map.entry("at", "@"), Map.entry("sh", "#"), Map.entry("Do", "$"), Map.entry("ul", "_"),
            Map.entry("ba", "|"), Map.entry("ts", "\""), Map.entry("ff", "ff"), Map.entry("fi", "fi"),
            Map.entry("fl", "fl"), Map.entry("char46", "."), Map.entry("char92", "\\"), Map.entry("dg", "†"),
            Map.entry("sc", "§"), Map.entry("ps", "¶"), Map.entry("pc", "·"), Map.entry("tf", "∴"),
            Map.entry("if", "∞"), Map.entry("ap", "~"), Map.entry("!=", "≠"), Map.entry("==", "≡"));
    /** Macros that set their arguments in alternating fonts, printed without spaces between them. */
    private static final List<String> ALTERNATING = List.of("BR", "BI", "IB", "IR", "RB", "RI");
    /** Macros that set their arguments in one font, printed with spaces between them. */
    private static final List<String> ONE_FONT = List.of("B", "I", "SM", "SB");
    /** Requests that end the current paragraph. */
    private static final List<String> BREAKS = List.of("PP", "P", "LP", "sp", "HP", "RS", "RE", "in", "bp");
    private static final Pattern SPACES = Pattern.compile("[ \\t]+");
    /** Marks where {@code \c} joins the next input line to this one without a space. */
    private static final char JOIN = '\u0001';

    private ManPageParser() {
    }

    /** Whether the page uses the BSD mdoc macros, which this parser does not read. */
    public static boolean isMdoc(String roff) {
        return roff.lines().anyMatch(line -> line.startsWith(".Dd") || line.startsWith(".Sh "));
    }

    /** Whether the page is only a {@code .so} link to another page. */
    public static boolean isLink(String roff) {
        return roff.lines().filter(line -> !line.startsWith(".\\\"") && !line.startsWith("'\\\"") && !line.isBlank())
                .findFirst().map(line -> line.startsWith(".so ")).orElse(false);
    }

    /** Reads a page; its name comes from {@code .TH}, or the first NAME, when the page has no {@code .TH}. */
    public static ManPage parse(String roff) {
        State state = new State();
        String[] lines = roff.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (state.skipUntil != null) {
                if (line.strip().equals(state.skipUntil) || line.strip().endsWith(state.skipUntil)) {
                    state.skipUntil = null;
                }
                continue;
            }
            if (isComment(line)) {
                continue;
            }
            if (state.table != Table.NONE && table(state, line)) {
                continue;
            }
            if (line.startsWith(".") || line.startsWith("'")) {
                request(state, line);
            } else {
                text(state, line);
            }
        }
        state.endSection();
        List<String> names = new ArrayList<>();
        String summary = "";
        for (ManPage.Section section : state.sections) {
            if (section.heading().equalsIgnoreCase("NAME") && !section.paragraphs().isEmpty()) {
                String nameLine = String.join(" ", section.paragraphs()).replace('\n', ' ');
                int dash = nameLine.indexOf(" - ");
                String namePart = dash < 0 ? nameLine : nameLine.substring(0, dash);
                summary = dash < 0 ? "" : nameLine.substring(dash + 3).strip();
                for (String name : namePart.split(",")) {
                    if (!name.isBlank()) {
                        names.add(name.strip());
                    }
                }
                break;
            }
        }
        String name = state.name != null ? state.name : names.isEmpty() ? "" : names.get(0);
        return new ManPage(name, state.section == null ? "" : state.section, List.copyOf(names), summary,
                List.copyOf(state.sections));
    }

    private enum Table { NONE, FORMAT, DATA }

    /** What the parser is in the middle of. */
    private static final class State {
        String name;
        String section;
        final List<ManPage.Section> sections = new ArrayList<>();
        String heading;
        List<String> paragraphs = new ArrayList<>();
        final StringBuilder paragraph = new StringBuilder();
        boolean noFill;
        /** The heading of an {@code .SH} without arguments is the next text line. */
        boolean headingNext;
        /** Lines still to end with a line break: the tag of a {@code .TP}. */
        int tagLines;
        Table table = Table.NONE;
        /** While inside a block that prints nothing ({@code .de}, {@code .ig}, a conditional block): its end. */
        String skipUntil;

        void add(String text) {
            if (headingNext) {
                headingNext = false;
                heading = text.strip();
                return;
            }
            if (noFill) {
                if (!paragraph.isEmpty() && paragraph.charAt(paragraph.length() - 1) != JOIN) {
                    paragraph.append('\n');
                }
                paragraph.append(text);
            } else if (!text.isBlank()) {
                if (!paragraph.isEmpty() && paragraph.charAt(paragraph.length() - 1) != JOIN
                        && paragraph.charAt(paragraph.length() - 1) != '\n') {
                    paragraph.append(' ');
                }
                paragraph.append(text.strip());
            }
            if (tagLines > 0) {
                tagLines--;
                if (!noFill && paragraph.charAt(paragraph.length() - 1) != JOIN) {
                    paragraph.append('\n');
                }
            }
        }

        void endParagraph() {
            String text = paragraph.toString().replace(String.valueOf(JOIN), "");
            paragraph.setLength(0);
            String cleaned = text.lines().map(line -> noFillLine(line)).reduce((a, b) -> a + "\n" + b).orElse("")
                    .strip();
            if (!cleaned.isEmpty() && heading != null) {
                paragraphs.add(cleaned);
            }
        }

        private String noFillLine(String line) {
            return noFill ? line.stripTrailing() : SPACES.matcher(line).replaceAll(" ").strip();
        }

        void endSection() {
            endParagraph();
            if (heading != null && !paragraphs.isEmpty()) {
                sections.add(new ManPage.Section(heading, List.copyOf(paragraphs)));
            }
            paragraphs = new ArrayList<>();
        }
    }

    private static boolean isComment(String line) {
        return line.startsWith(".\\\"") || line.startsWith("'\\\"") || line.startsWith("\\\"")
                || line.startsWith(".\\#") || line.strip().equals(".");
    }

    /** A line of a tbl table; false when it is a request to handle as usual (inside a text block). */
    private static boolean table(State state, String line) {
        if (line.startsWith(".TE")) {
            state.table = Table.NONE;
            state.endParagraph();
            return true;
        }
        if (state.table == Table.FORMAT) {
            // Options end with ';', the format lines with '.', after which the data rows follow.
            if (line.strip().endsWith(".") && !line.strip().endsWith(";")) {
                state.table = Table.DATA;
            }
            return true;
        }
        if (line.startsWith(".")) {
            return false;
        }
        String strip = line.strip();
        if (strip.equals("_") || strip.equals("=") || strip.equals("T{") || strip.equals("T}")) {
            return true;
        }
        // Cells are separated by tabs; a row is a line of text (stripped, so that it does not break the line).
        text(state, line.replace("T{", "").replace("T}", "").replace('\t', ' ').strip());
        return true;
    }

    private static void request(State state, String line) {
        String body = line.substring(1).stripLeading();
        int space = body.indexOf(' ');
        int tab = body.indexOf('\t');
        if (tab >= 0 && (space < 0 || tab < space)) {
            space = tab;
        }
        String macro = space < 0 ? body : body.substring(0, space);
        String rest = space < 0 ? "" : body.substring(space + 1);
        List<String> args = arguments(rest);
        switch (macro) {
            case "TH" -> {
                state.name = args.isEmpty() ? null : unescape(args.get(0)).strip();
                state.section = args.size() < 2 ? null : unescape(args.get(1)).strip();
            }
            case "SH" -> {
                state.endSection();
                state.noFill = false;
                state.tagLines = 0;
                state.heading = unescape(String.join(" ", args)).strip();
                state.headingNext = args.isEmpty();
            }
            case "SS" -> {
                state.endParagraph();
                state.add(unescape(String.join(" ", args)).strip());
                state.endParagraph();
            }
            case "TP" -> {
                state.endParagraph();
                state.tagLines = 1;
            }
            case "TQ" -> state.tagLines = 1;
            case "IP" -> {
                state.endParagraph();
                if (!args.isEmpty()) {
                    String tag = unescape(args.get(0)).strip();
                    if (!tag.isEmpty()) {
                        state.add(tag);
                    }
                }
            }
            case "br" -> {
                if (!state.noFill && !state.paragraph.isEmpty()) {
                    state.paragraph.append('\n');
                }
            }
            case "nf", "EX" -> {
                state.endParagraph();
                state.noFill = true;
            }
            case "fi", "EE" -> {
                state.endParagraph();
                state.noFill = false;
            }
            case "TS" -> {
                state.endParagraph();
                state.table = Table.FORMAT;
            }
            case "de", "de1", "am", "ig" -> state.skipUntil = "..";
            case "if", "ie", "el", "nr", "ds", "so", "mso" -> {
                if (rest.contains("\\{")) {
                    state.skipUntil = "\\}";
                }
            }
            case "OP" -> state.add("[" + unescape(String.join(" ", args)) + "]");
            case "SY" -> {
                state.endParagraph();
                state.add(unescape(String.join(" ", args)));
            }
            case "YS" -> state.endParagraph();
            case "UR", "MT", "UE", "ME" -> {
                // The link's text is on the lines between; the address itself is not prose.
            }
            default -> {
                if (BREAKS.contains(macro)) {
                    state.endParagraph();
                } else if (ALTERNATING.contains(macro)) {
                    StringBuilder joined = new StringBuilder();
                    args.forEach(arg -> joined.append(unescape(arg)));
                    state.add(joined.toString());
                } else if (ONE_FONT.contains(macro)) {
                    if (!args.isEmpty()) {
                        state.add(unescape(String.join(" ", args)));
                    }
                }
                // Every other request changes layout only (.ad, .nh, .hy, .ft, .ne, .ta, .ll, .PD, ...).
            }
        }
    }

    private static void text(State state, String line) {
        if (line.isBlank()) {
            if (state.noFill) {
                state.paragraph.append('\n');
            } else {
                state.endParagraph();
            }
            return;
        }
        if (!state.noFill && (line.startsWith(" ") || line.startsWith("\t")) && !state.paragraph.isEmpty()
                && state.tagLines == 0) {
            // A line starting with a space breaks the line in fill mode.
            state.paragraph.append('\n');
        }
        state.add(unescape(line));
    }

    /** A request's arguments: separated by spaces, double quotes group words ({@code ""} is a quote). */
    static List<String> arguments(String rest) {
        List<String> args = new ArrayList<>();
        StringBuilder arg = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '\\' && i + 1 < rest.length()) {
                if (rest.charAt(i + 1) == '"') {
                    break;
                }
                arg.append(c).append(rest.charAt(++i));
                any = true;
            } else if (c == '"') {
                if (quoted && i + 1 < rest.length() && rest.charAt(i + 1) == '"') {
                    arg.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                    any = true;
                }
            } else if ((c == ' ' || c == '\t') && !quoted) {
                if (any) {
                    args.add(arg.toString());
                    arg.setLength(0);
                    any = false;
                }
            } else {
                arg.append(c);
                any = true;
            }
        }
        if (any) {
            args.add(arg.toString());
        }
        return args;
    }

    /** The characters a line of roff text prints; a trailing {@code \c} becomes {@link #JOIN}. */
    static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 >= n) {
                out.append(c);
                continue;
            }
            char e = text.charAt(++i);
            switch (e) {
                case '-', '.', '\'', '`' -> out.append(e == '-' ? '-' : e);
                case 'e', '\\' -> out.append('\\');
                case '&', '|', '^', ',', '/', '%', ':', ')', '!' -> {
                }
                case ' ', '~', '0' -> out.append(' ');
                case 't' -> out.append(' ');
                case 'c' -> out.append(i + 1 >= n ? String.valueOf(JOIN) : "");
                case '"' -> i = n;
                case '(' -> {
                    if (i + 2 < n) {
                        out.append(GLYPHS.getOrDefault(text.substring(i + 1, i + 3), ""));
                        i += 2;
                    } else {
                        i = n;
                    }
                }
                case '[' -> {
                    int end = text.indexOf(']', i);
                    if (end < 0) {
                        i = n;
                    } else {
                        out.append(glyph(text.substring(i + 1, end)));
                        i = end;
                    }
                }
                case '*' -> i = skipName(text, i, out, true);
                case 'f', 'F', 'n', 'g', 'k', 'm', 'M', 'Y', 'V', '$' -> i = skipName(text, i, null, false);
                case 's' -> {
                    // \s-1, \s+2, \s0, \s[12], \s(12
                    int j = i + 1;
                    if (j < n && (text.charAt(j) == '+' || text.charAt(j) == '-')) {
                        j++;
                    }
                    if (j < n && (text.charAt(j) == '[' || text.charAt(j) == '(')) {
                        i = skipName(text, j - 1, null, false);
                    } else {
                        while (j < n && Character.isDigit(text.charAt(j)) && j <= i + 3) {
                            j++;
                        }
                        i = j - 1;
                    }
                }
                case 'N', 'h', 'v', 'w', 'o', 'X', 'Z', 'b', 'l', 'L', 'D', 'x', 'A', 'B', 'C', 'R', 'S' -> {
                    // An escape with a quoted argument: \h'...' and so on; \N'46' is a glyph number.
                    if (i + 1 < n) {
                        char quote = text.charAt(i + 1);
                        int end = text.indexOf(quote, i + 2);
                        if (end < 0) {
                            i = n;
                        } else {
                            if (e == 'N') {
                                String number = text.substring(i + 2, end);
                                if (number.matches("\\d+")) {
                                    out.append((char) Integer.parseInt(number));
                                }
                            }
                            i = end;
                        }
                    }
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }

    /** Skips an escape's name ({@code x}, {@code (xx} or {@code [name]}) after position {@code i}. */
    private static int skipName(String text, int i, StringBuilder strings, boolean isString) {
        int n = text.length();
        if (i + 1 >= n) {
            return n;
        }
        char c = text.charAt(i + 1);
        String name;
        int end;
        if (c == '(') {
            end = Math.min(n - 1, i + 3);
            name = text.substring(i + 2, end + 1);
        } else if (c == '[') {
            end = text.indexOf(']', i + 2);
            if (end < 0) {
                return n;
            }
            name = text.substring(i + 2, end);
        } else {
            end = i + 1;
            name = String.valueOf(c);
        }
        if (isString && strings != null) {
            strings.append(GLYPHS.getOrDefault(name, ""));
        }
        return end;
    }

    /** {@code \[name]}: a named glyph, {@code u00E9} (a code point), or {@code char46}. */
    private static String glyph(String name) {
        if (name.matches("u[0-9A-Fa-f]{4,6}(_[0-9A-Fa-f]{4,6})*")) {
            StringBuilder out = new StringBuilder();
            Arrays.stream(name.split("_")).forEach(part ->
                    out.appendCodePoint(Integer.parseInt(part.startsWith("u") ? part.substring(1) : part, 16)));
            return out.toString();
        }
        if (name.matches("char\\d+")) {
            return String.valueOf((char) Integer.parseInt(name.substring(4)));
        }
        return GLYPHS.getOrDefault(name, "");
    }
}
