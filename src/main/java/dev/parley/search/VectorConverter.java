package dev.parley.search;

import com.pgvector.PGvector;
import io.micronaut.core.convert.ConversionContext;
import io.micronaut.data.model.runtime.convert.AttributeConverter;
import jakarta.inject.Singleton;

/**
 * A vector column as {@code float[]}, stored and read through pgvector-java's {@link PGvector}.
 * Reads return a PGvector because every pooled connection registers pgvector's types
 * ({@code dev.parley.common.PgvectorTypes}); anything else means that registration is missing.
 */
@Singleton
class VectorConverter implements AttributeConverter<float[], Object> {

    @Override
    public Object convertToPersistedValue(float[] vector, ConversionContext context) {
        return vector == null ? null : new PGvector(vector);
    }

    @Override
    public float[] convertToEntityValue(Object stored, ConversionContext context) {
        if (stored == null) {
            return null;
        }
        if (stored instanceof PGvector vector) {
            return vector.toArray();
        }
        throw new IllegalStateException("a vector column read as " + stored.getClass().getName()
                + ": pgvector's types are not registered on this connection");
    }
}
