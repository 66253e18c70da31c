package dev.parley.bench.manpages;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relevance benchmark's corpus builder on a man(7) fixture: roff to sections, sections to posts. */
class ManPageParserTest {

    private static String fixture() throws IOException {
        try (InputStream in = Objects.requireNonNull(
                ManPageParserTest.class.getResourceAsStream("/bench/manpages/fixture.2"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheNameLineIntoNamesAndTheKnownItemSummary() throws IOException {
        ManPage page = ManPageParser.parse(fixture());

        assertEquals("frobnicate", page.name());
        assertEquals("2", page.section());
        assertEquals(List.of("frobnicate", "frobnicateat"), page.names());
        assertEquals("adjust a widget's state", page.summary());
    }

    @Test
    void keepsSectionsInOrderAndPrintsMacrosAndEscapesAsText() throws IOException {
        ManPage page = ManPageParser.parse(fixture());

        assertEquals(List.of("NAME", "LIBRARY", "SYNOPSIS", "DESCRIPTION", "RETURN VALUE", "ERRORS", "ATTRIBUTES",
                "SEE ALSO", "COLOPHON"), page.sections().stream().map(ManPage.Section::heading).toList());
        List<String> description = section(page, "DESCRIPTION");
        assertEquals("The frobnicate() system call adjusts the widget referred to by the file descriptor fd— see"
                + " widget(7).", description.get(0));
        assertEquals("The flags argument is a bit mask:", description.get(1));
        assertEquals("FROB_FAST\nFrobnicate quickly, without waiting.", description.get(2));
        assertEquals("FROB_SLOW\nTake your time.", description.get(3));
        assertEquals("Examples of use", description.get(4));
        assertEquals("int fd = open(\"w\", O_RDONLY);\nfrobnicate(fd, FROB_FAST);", description.get(5));
        assertEquals(List.of("#include <frob.h>", "int frobnicate(int fd, unsigned int flags);"),
                section(page, "SYNOPSIS"));
        assertEquals(List.of("Standard C library (libc, -lc)"), section(page, "LIBRARY"));
        assertEquals(List.of("EBADF fd is not open. EINVAL Unknown flags."), section(page, "ERRORS"));
        assertEquals(List.of("widget(7), open(2)"), section(page, "SEE ALSO"));
    }

    @Test
    void makesTheOpeningPostFromNameSynopsisAndDescriptionAndRepliesFromTheOtherSections() throws IOException {
        ManCorpus.Thread thread = ManCorpus.thread("frobnicate(2)", ManPageParser.parse(fixture()));

        assertEquals("frobnicate, frobnicateat (2)", thread.title());
        assertEquals("adjust a widget's state", thread.summary());
        String opening = thread.posts().get(0);
        assertTrue(opening.startsWith("frobnicate, frobnicateat - adjust a widget's state\n\n#include <frob.h>"),
                opening);
        assertTrue(opening.contains("FROB_SLOW\nTake your time."), opening);
        assertTrue(opening.endsWith("frobnicate(fd, FROB_FAST);"), opening);
        // The short sections after the description share one reply, each under its heading.
        assertEquals(List.of("Return value\nOn success, zero is returned.\n\nErrors\nEBADF fd is not open. EINVAL"
                + " Unknown flags.\n\nSee also\nwidget(7), open(2)"), thread.posts().subList(1, thread.posts().size()));
        String all = String.join("\n", thread.posts());
        for (String leftOut : List.of("Standard C library", "Thread safety", "Interface", "release 6.03")) {
            assertFalse(all.contains(leftOut), leftOut);
        }
    }

    @Test
    void cutsLongSectionsIntoRepliesOfForumLength() {
        String paragraph = String.join(" ", java.util.Collections.nCopies(ManCorpus.REPLY_WORDS * 2 + 7, "word"));
        ManPage page = new ManPage("long", "7", List.of("long"), "a long page", List.of(
                new ManPage.Section("NAME", List.of("long - a long page")),
                new ManPage.Section("DESCRIPTION", List.of("Short start.")),
                new ManPage.Section("NOTES", List.of(paragraph))));

        ManCorpus.Thread thread = ManCorpus.thread("long(7)", page);

        assertEquals(4, thread.posts().size());
        assertEquals("long - a long page\n\nShort start.", thread.posts().get(0));
        for (String reply : thread.posts().subList(1, 4)) {
            assertTrue(reply.startsWith("Notes\n"), reply);
            assertTrue(ManCorpus.words(reply) <= ManCorpus.REPLY_WORDS + 1, reply);
        }
    }

    @Test
    void recognisesLinkPagesAndMdocPages() {
        assertTrue(ManPageParser.isLink(".\\\" a comment\n.so man2/open.2\n"));
        assertFalse(ManPageParser.isLink(".TH open 2\n.SH NAME\nopen \\- open a file\n"));
        assertTrue(ManPageParser.isMdoc(".Dd March 1, 2020\n.Dt LS 1\n.Sh NAME\n"));
    }

    private static List<String> section(ManPage page, String heading) {
        return page.sections().stream().filter(s -> s.heading().equals(heading)).findFirst().orElseThrow()
                .paragraphs();
    }
}
