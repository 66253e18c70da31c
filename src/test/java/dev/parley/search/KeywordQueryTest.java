package dev.parley.search;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Splitting a web-style query into the terms keyword search matches one by one. */
class KeywordQueryTest {

    @Test
    void wordsPhrasesAndExclusionsAreSeparateTerms() {
        KeywordQuery q = KeywordQuery.parse("copy \"whole directories\" -symlink recursively -\"dry run\"");
        assertEquals(List.of("copy", "\"whole directories\"", "recursively"), q.terms());
        assertEquals(List.of("symlink", "\"dry run\""), q.excluded());
    }

    @Test
    void orIsAConnectorNotATerm() {
        assertEquals(List.of("cats", "dogs"), KeywordQuery.parse("cats OR dogs").terms());
        assertEquals(List.of("cats", "dogs"), KeywordQuery.parse("cats or dogs").terms());
    }

    @Test
    void anInnerDashStaysInTheWordAndAnUnclosedQuoteIsClosed() {
        KeywordQuery q = KeywordQuery.parse("x86-64 \"open quote");
        assertEquals(List.of("x86-64", "\"open quote\""), q.terms());
        assertEquals(List.of(), q.excluded());
    }

    @Test
    void aDoubleDashedOptionIsATermNotAnExclusion() {
        // websearch_to_tsquery reads each leading dash as a negation: "--no-clobber" is !!no-clobber.
        KeywordQuery q = KeywordQuery.parse("cp --no-clobber ---verbose - --");
        assertEquals(List.of("cp", "no-clobber"), q.terms());
        assertEquals(List.of("verbose"), q.excluded());
    }

    @Test
    void emptyPhrasesAndBlankQueriesHaveNoTerms() {
        assertEquals(List.of(), KeywordQuery.parse("\"\"   ").terms());
    }
}
