package dev.parley.search;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * The passage of a result that matched, as plain text (never markup: a client escapes it like any user
 * text), and where the query's words are in it.
 */
@Serdeable
@Schema(description = "The matching passage as plain text, with the query's words as ranges of it")
record Highlight(
        @Schema(description = "The passage: the best-matching chunk for a semantic match, the best "
                + "passage of the post (PostgreSQL's ts_headline) for a keyword match; plain text")
        String text,
        @Schema(description = "Where the query's words are in `text`, in order: UTF-16 code unit offsets "
                + "(JavaScript's and Java's string indices), `start` inclusive, `end` exclusive")
        List<Range> ranges) {

    @Serdeable
    record Range(int start, int end) {
    }
}
