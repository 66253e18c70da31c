package dev.parley.bench.manpages;

import java.util.List;

/**
 * A manual page as plain text: its {@code .TH} name and section, the names and one-line summary of its
 * NAME line, and its sections in order, each a list of paragraphs (filled text on one line, no-fill
 * blocks such as synopses and examples with their line breaks).
 */
public record ManPage(String name, String section, List<String> names, String summary, List<Section> sections) {

    public record Section(String heading, List<String> paragraphs) {
    }
}
