package dev.parley.moderation;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * An input stream over lines fetched a page at a time, the next page only when the reader has
 * consumed the last one: the HTTP server reads it as it writes the response, so an export of any
 * length holds one page in memory and a slow client slows the reading, not the other way round.
 */
final class NdjsonPages extends InputStream {

    private final Supplier<List<byte[]>> nextPage;
    private Iterator<byte[]> lines = List.<byte[]>of().iterator();
    private byte[] line = new byte[0];
    private int position;
    private boolean exhausted;
    private boolean closed;

    /** @param nextPage the next page of lines, each ending in a newline; empty when there are no more */
    NdjsonPages(Supplier<List<byte[]>> nextPage) {
        this.nextPage = nextPage;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!advance()) {
            return -1;
        }
        int n = Math.min(length, line.length - position);
        System.arraycopy(line, position, buffer, offset, n);
        position += n;
        return n;
    }

    /** Makes the current line one with bytes left, fetching a page when needed; false at the end. */
    private boolean advance() throws IOException {
        while (position >= line.length) {
            if (closed || exhausted) {
                return false;
            }
            if (!lines.hasNext()) {
                List<byte[]> page;
                try {
                    page = nextPage.get();
                } catch (RuntimeException e) {
                    // The response is under way: all that is left is to cut it short.
                    throw new IOException("The export could not read its next page.", e);
                }
                if (page.isEmpty()) {
                    exhausted = true;
                    return false;
                }
                lines = page.iterator();
            }
            line = lines.next();
            position = 0;
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
    }
}
