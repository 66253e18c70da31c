package dev.parley.pipeline;

/**
 * Runs the jobs of one kind. Every bean of this type is picked up by the workers, which decode
 * each job's payload into {@link JobKind#payloadType()} before calling it; a payload that does not
 * decode makes its job dead without reaching the handler.
 * <p>
 * A job may run more than once (a worker can die after the effect and before the job is marked
 * done), so handlers must be idempotent: key effects by what the job is about (a post id and
 * version, a content digest), never assume a first run. Throwing retries the job with backoff;
 * {@link RetryLater} asks for a specific delay; {@link PermanentFailure} makes it dead at once.
 *
 * @param <P> the payload record of the kind
 */
public interface JobHandler<P> {

    /** The job kind this handler runs. */
    JobKind<P> kind();

    void handle(Job<P> job) throws Exception;
}
