package dev.parley.pipeline;

import java.util.Objects;

/**
 * A kind of job: the name the jobs table stores, and the record its JSON payload decodes into.
 * Enqueueing and handling both go through it, so a payload cannot be queued under the wrong kind.
 *
 * @param payloadType a {@code @Serdeable} record; its JSON shape is what stays in the table, so
 *                    keep it readable by the next version (jobs outlive deployments)
 */
public record JobKind<P>(String name, Class<P> payloadType) {

    public JobKind {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(payloadType, "payloadType");
    }

    public static <P> JobKind<P> of(String name, Class<P> payloadType) {
        return new JobKind<>(name, payloadType);
    }
}
