package dev.parley.pipeline;

/**
 * Thrown by a handler whose job cannot run until an outside resource (an embedding provider) answers
 * again. It is retried with backoff like any failure, but once its attempts are used up the job is
 * parked, not dead: it waits, naming {@link #resource()}, until {@link JobQueue#resume(String)} says
 * the resource answers again. A long outage then delays the work instead of losing it.
 */
public class ResourceUnavailable extends RuntimeException {

    private final String resource;

    /** @param resource what the job waits for, e.g. "embedding-model:text-embedding-3-small" */
    public ResourceUnavailable(String resource, Throwable cause) {
        super(resource + " unavailable: " + cause.getMessage(), cause);
        this.resource = resource;
    }

    public String resource() {
        return resource;
    }
}
