package dev.parley.pipeline;

/** Thrown by a handler when retrying cannot help (a malformed payload): the job is dead at once. */
public class PermanentFailure extends RuntimeException {

    public PermanentFailure(String reason) {
        super(reason, null, false, false);
    }
}
