package dev.parley.common;

/**
 * A position in PostgreSQL's write-ahead log (a {@code pg_lsn}) as bytes from {@code 0/0}: what a
 * replica must have replayed before it shows a given write.
 *
 * @param bytes the position; 0 is the start of the log, before any write
 */
public record WalPosition(long bytes) implements Comparable<WalPosition> {

    /** Before every write: any replica has replayed it. */
    public static final WalPosition START = new WalPosition(0);

    public WalPosition {
        if (bytes < 0) {
            throw new IllegalArgumentException("a WAL position is not negative: " + bytes);
        }
    }

    /** A position read from a nullable {@code bigint} column, {@link #START} for null. */
    public static WalPosition ofNullable(Long bytes) {
        return bytes == null ? START : new WalPosition(bytes);
    }

    /** Whether a replica that replayed up to this position shows a write that ended at {@code write}. */
    public boolean covers(WalPosition write) {
        return bytes >= write.bytes;
    }

    @Override
    public int compareTo(WalPosition other) {
        return Long.compare(bytes, other.bytes);
    }

    /** PostgreSQL's text form, e.g. {@code 0/16B3748}. */
    @Override
    public String toString() {
        return Long.toHexString(bytes >>> 32).toUpperCase() + "/" + Long.toHexString(bytes & 0xFFFFFFFFL).toUpperCase();
    }
}
