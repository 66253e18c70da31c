package dev.parley.search;

import dev.parley.pipeline.JobQueue;
import dev.parley.pipeline.ResourceUnavailable;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Embedding work that outlived a provider outage. A job whose attempts run out while its model does
 * not answer is parked on that model ({@link #unavailable}) instead of ending dead, which would leave
 * its post unsearchable until the hourly sweep; it is queued again as soon as the model answers: when
 * this instance's next embedding succeeds after a failure, or when the probe, which embeds one short
 * text with each model that has parked jobs every {@code parley.embedding.probe-interval}, gets an
 * answer (the probe covers idle instances and outages that ended while nothing else was embedded).
 */
@Singleton
class ParkedEmbeddings {

    private static final Logger LOG = LoggerFactory.getLogger(ParkedEmbeddings.class);
    private static final List<String> PROBE = List.of("probe");

    private final JobQueue jobs;
    private final SearchModels models;
    private final EmbeddingHealth health;

    ParkedEmbeddings(JobQueue jobs, SearchModels models, EmbeddingHealth health) {
        this.jobs = jobs;
        this.models = models;
        this.health = health;
    }

    /** The failure a job reports when {@code model} could not embed: parked on the model once out of attempts. */
    static ResourceUnavailable unavailable(EmbeddingModel model, EmbeddingException failure) {
        return new ResourceUnavailable(resource(model), failure);
    }

    /** A model answered after failing in this instance: what waits for it runs again. */
    void answered(EmbeddingModel model) {
        int resumed = jobs.resume(resource(model));
        if (resumed > 0) {
            LOG.info("Embedding model {} answers again: {} parked jobs queued", model.name(), resumed);
        }
    }

    @Scheduled(fixedDelay = "${parley.embedding.probe-interval:1m}", initialDelay = "${parley.embedding.probe-interval:1m}")
    void scheduledProbe() {
        try {
            probe();
        } catch (RuntimeException e) {
            // Typically the database is away; the next round tries again.
            LOG.warn("Probing embedding models for parked jobs failed: {}", e.toString());
        }
    }

    /** Probes each model that has parked jobs; one that answers gets its jobs queued again. Returns how many. */
    int probe() {
        int resumed = 0;
        for (EmbeddingModel model : models.indexing()) {
            if (jobs.parked(resource(model)) == 0) {
                continue;
            }
            try {
                model.embed(PROBE);
            } catch (EmbeddingException e) {
                health.failed(e);
                continue;
            }
            health.succeeded();
            int queued = jobs.resume(resource(model));
            LOG.info("Embedding model {} answers the probe again: {} parked jobs queued", model.name(), queued);
            resumed += queued;
        }
        return resumed;
    }

    private static String resource(EmbeddingModel model) {
        return "embedding-model:" + model.name();
    }
}
