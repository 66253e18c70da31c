package dev.parley.search;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkerTest {

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(word -> !word.isEmpty()).toList();
    }

    /** "w0 w1 ... w{n-1}": every word distinct, so positions can be checked. */
    private static String numberedWords(int n) {
        return IntStream.range(0, n).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
    }

    private static EmbeddingModel modelWithWindow(int maxWords) {
        return new EmbeddingModel() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public int dimensions() {
                return 3;
            }

            @Override
            public int maxWordsPerInput() {
                return maxWords;
            }

            @Override
            public List<float[]> embed(List<String> texts) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void aTextWithinTheWindowIsOneChunkTrimmed() {
        assertEquals(List.of("How do I reset my password?"), Chunker.chunks("  How do I reset my password?\n", 180, 36));
        String exactlyFull = numberedWords(100);
        assertEquals(List.of(exactlyFull), Chunker.chunks(exactlyFull, 100, 20));
    }

    @Test
    void blankTextHasNoChunks() {
        assertEquals(List.of(), Chunker.chunks("", 10, 2));
        assertEquals(List.of(), Chunker.chunks(" \n\t ", 10, 2));
        assertEquals(List.of(), Chunker.chunks(null, 10, 2));
    }

    @Test
    void aLongTextIsCoveredWordForWordByWindowsOverlappingByTheOverlap() {
        List<String> chunks = Chunker.chunks(numberedWords(1000), 100, 20);

        List<String> all = words(numberedWords(1000));
        int start = 0;
        for (int c = 0; c < chunks.size(); c++) {
            List<String> chunk = words(chunks.get(c));
            assertEquals(c < chunks.size() - 1 ? 100 : chunk.size(), chunk.size(), "no sentence ends: full windows");
            assertEquals(all.subList(start, start + chunk.size()), chunk, "chunk " + c + " is the next run of words");
            start += chunk.size() - 20;
        }
        assertEquals(all.size(), start + 20, "the chunks reach the last word");
        assertEquals(13, chunks.size(), "ceil((1000 - 20) / 80)");
    }

    @Test
    void theLastWordsOfALongPostAreInTheLastChunk() {
        String post = numberedWords(700) + " and the conclusion that matters most";

        List<String> chunks = Chunker.chunks(post, 180, 36);

        assertTrue(chunks.size() > 1);
        assertTrue(chunks.get(0).startsWith("w0 w1 "), chunks.get(0));
        assertTrue(chunks.get(chunks.size() - 1).endsWith("and the conclusion that matters most"));
    }

    @Test
    void aChunkEndsAtASentenceEndWithinTheLastFifthOfItsWindow() {
        // Sentences of 7 words: one ends at word 98 of the first window of 100.
        String text = IntStream.range(0, 60).mapToObj(s -> "this is sentence number " + s + " right here.")
                .collect(Collectors.joining(" "));

        List<String> chunks = Chunker.chunks(text, 100, 20);

        assertTrue(chunks.size() > 1);
        for (String chunk : chunks.subList(0, chunks.size() - 1)) {
            assertTrue(chunk.endsWith("here."), chunk);
            assertTrue(words(chunk).size() >= 80, words(chunk).size() + " words");
        }
        List<String> all = words(text);
        assertEquals(all.subList(0, 98), words(chunks.get(0)), "the last sentence end in the window: 14 x 7 words");
        assertEquals(all.subList(78, 175), words(chunks.get(1)), "20 words before the cut, up to word 25 x 7");
    }

    @Test
    void aSentenceEndBeforeTheLastFifthDoesNotShortenTheChunk() {
        String text = numberedWords(50) + ". " + numberedWords(200);

        List<String> chunks = Chunker.chunks(text, 100, 20);

        assertEquals(100, words(chunks.get(0)).size(), "the only sentence end is at word 50, too early to cut at");
    }

    @Test
    void sentenceEndsInsideQuotesAndBracketsCount() {
        String text = numberedWords(85) + " he said \"stop!\" " + numberedWords(100);

        List<String> chunks = Chunker.chunks(text, 100, 20);

        assertTrue(chunks.get(0).endsWith("\"stop!\""), chunks.get(0));
    }

    @Test
    void chunksAreSlicesOfTheOriginalTextKeepingItsLineBreaks() {
        String text = "first line\nsecond  line\n\n" + numberedWords(20);

        List<String> chunks = Chunker.chunks(text, 10, 2);

        assertEquals("first line\nsecond  line\n\nw0 w1 w2 w3 w4 w5", chunks.get(0));
        chunks.forEach(chunk -> assertTrue(text.contains(chunk), chunk));
    }

    @Test
    void textWithoutSpacesIsStillSplit() {
        String chinese = "我忘记了登录密码需要重新设置".repeat(50);   // 700 characters, no spaces
        List<String> chunks = Chunker.chunks(chinese, 180, 36);
        assertTrue(chunks.size() >= 4, "each Han character counts as a word: " + chunks.size());
        chunks.forEach(chunk -> assertTrue(chunk.length() <= 180, chunk.length() + " characters"));
        assertTrue(chinese.endsWith(chunks.get(chunks.size() - 1)));

        String blob = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo".repeat(300);   // one 10,500-character "word"
        List<String> pieces = Chunker.chunks(blob, 180, 36);
        assertTrue(pieces.size() > 1);
        pieces.forEach(piece -> assertTrue(piece.length() <= 180 * Chunker.MAX_WORD_CHARS, piece.length() + ""));
        assertTrue(blob.endsWith(pieces.get(pieces.size() - 1)));
    }

    @Test
    void theModelsWindowSetsTheChunkSizeWithAFifthOverlap() {
        List<String> chunks = Chunker.chunks(numberedWords(30), modelWithWindow(10));

        assertEquals(List.of("w0 w1 w2 w3 w4 w5 w6 w7 w8 w9", "w8 w9 w10 w11 w12 w13 w14 w15 w16 w17",
                "w16 w17 w18 w19 w20 w21 w22 w23 w24 w25", "w24 w25 w26 w27 w28 w29"), chunks);
    }

    @ParameterizedTest
    @CsvSource({"10, 0", "10, 9", "1, 0", "7, 3", "180, 36", "50, 10"})
    void anyWindowAndOverlapCoverEveryWordInOrderWithinTheWindow(int maxWords, int overlap) {
        Random random = new Random(42 + maxWords * 31L + overlap);
        for (int round = 0; round < 20; round++) {
            List<String> all = new ArrayList<>();
            int n = 1 + random.nextInt(600);
            for (int i = 0; i < n; i++) {
                all.add("w" + i + (random.nextInt(8) == 0 ? "." : ""));
            }
            String text = String.join(random.nextBoolean() ? " " : "\n", all);

            List<String> chunks = Chunker.chunks(text, maxWords, overlap);

            int start = 0;
            for (int c = 0; c < chunks.size(); c++) {
                List<String> chunk = words(chunks.get(c));
                assertTrue(chunk.size() <= maxWords, chunk.size() + " words");
                assertEquals(all.subList(start, start + chunk.size()), chunk);
                if (c < chunks.size() - 1) {
                    assertTrue(chunk.size() > overlap, "every chunk moves on");
                    start += chunk.size() - overlap;
                } else {
                    assertEquals(all.size(), start + chunk.size(), "the last chunk ends with the last word");
                }
            }
        }
    }

    @Test
    void anOverlapThatWouldNeverMoveOnIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Chunker.chunks("a b c", 10, 10));
        assertThrows(IllegalArgumentException.class, () -> Chunker.chunks("a b c", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Chunker.chunks("a b c", 10, -1));
    }
}
