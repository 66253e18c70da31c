package dev.parley.search;

import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;

/** One chunk of one post version embedded by one model. */
@MappedEntity("post_embeddings")
record PostEmbedding(@EmbeddedId Key key, int postVersion, String digest, String snippet,
                     @TypeDef(type = DataType.OBJECT, converter = VectorConverter.class) float[] embedding,
                     Instant embeddedAt) {

    @Embeddable
    record Key(@MappedProperty("model") String model, @MappedProperty("post_id") long postId,
               @MappedProperty("chunk") int chunk) {
    }
}
