package dev.parley.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;

/** Waits for the background jobs of some kinds to drain, for benchmarks that measure or need them done. */
final class PendingJobs {

    private PendingJobs() {
    }

    @SuppressWarnings("unchecked")
    static long count(ApplicationContext context, String... kinds) {
        TransactionOperations<Connection> tx = context.getBean(TransactionOperations.class);
        return tx.executeRead(status -> {
            try (var statement = status.getConnection().prepareStatement(
                    "SELECT count(*) FROM jobs WHERE kind = ANY (?) AND state IN ('queued', 'running')")) {
                statement.setArray(1, status.getConnection().createArrayOf("text", kinds));
                try (var rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    static void awaitDrained(ApplicationContext context, String... kinds) throws InterruptedException {
        while (count(context, kinds) > 0) {
            Thread.sleep(20);
        }
    }
}
