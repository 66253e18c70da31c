package dev.parley.common;

/**
 * Whoever a read is for, as far as a replica is concerned: where their last write ended in the
 * primary's WAL. An argument of this type (or an {@code Optional} of it) tells a {@link ReplicaRead}
 * method whose writes its read must show.
 */
public interface LastWrite {

    /** The primary's WAL position just after this caller's last write, {@link WalPosition#START} if none is known. */
    WalPosition lastWrite();
}
