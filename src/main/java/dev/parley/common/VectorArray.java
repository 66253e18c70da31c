package dev.parley.common;

import com.pgvector.PGvector;
import org.postgresql.core.BaseConnection;
import org.postgresql.util.ByteConverter;
import org.postgresql.util.PGBinaryObject;
import org.postgresql.util.PGobject;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A {@code vector[]} parameter sent in PostgreSQL's binary array format, each element in pgvector's
 * own binary form as pgvector-java's {@link PGvector#toBytes} writes it. Written by hand because
 * pgjdbc sends an array of {@code PGobject}s ({@code createArrayOf}) as text: every float formatted
 * in Java and parsed again by the server, which was the reindex writer's top cost. Sent in binary
 * only on connections where {@link PgvectorTypes} registered {@code _vector} (every pooled one,
 * once per physical connection); elsewhere pgjdbc falls back to the text form, which is slower but
 * the same value.
 */
public final class VectorArray extends PGobject implements PGBinaryObject {

    static final String TYPE = "_vector";
    /** ndim, has-nulls flag, element type, then length and lower bound of the one dimension. */
    private static final int HEADER_BYTES = 5 * 4;

    private PGvector[] vectors = new PGvector[0];
    private int elementOid;

    /** For pgjdbc's type registry, which instantiates registered types reflectively. */
    public VectorArray() {
        setType(TYPE);
    }

    /**
     * The vectors as one parameter of {@code connection}. The element type's oid comes from the
     * connection's type cache (a map lookup after its first use).
     */
    public static VectorArray of(Connection connection, PGvector[] vectors) throws SQLException {
        VectorArray array = new VectorArray();
        array.vectors = vectors.clone();
        array.elementOid = connection.unwrap(BaseConnection.class).getTypeInfo().getPGType("vector");
        return array;
    }

    @Override
    public int lengthInBytes() {
        int length = HEADER_BYTES;
        for (PGvector vector : vectors) {
            length += 4 + vector.lengthInBytes();
        }
        return length;
    }

    @Override
    public void toBytes(byte[] bytes, int offset) {
        int at = offset;
        ByteConverter.int4(bytes, at, 1);
        ByteConverter.int4(bytes, at + 4, 0);
        ByteConverter.int4(bytes, at + 8, elementOid);
        ByteConverter.int4(bytes, at + 12, vectors.length);
        ByteConverter.int4(bytes, at + 16, 1);
        at += HEADER_BYTES;
        for (PGvector vector : vectors) {
            int length = vector.lengthInBytes();
            ByteConverter.int4(bytes, at, length);
            vector.toBytes(bytes, at + 4);
            at += 4 + length;
        }
    }

    /** The text form, which pgjdbc uses only where binary sending is off (simple query mode). */
    @Override
    public String getValue() {
        return Arrays.stream(vectors).map(vector -> '"' + vector.getValue() + '"')
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** Only ever sent: no statement reads a {@code vector[]} back. */
    @Override
    public void setByteValue(byte[] value, int offset) throws SQLException {
        throw new SQLFeatureNotSupportedException("vector[] is only sent, never read");
    }
}
