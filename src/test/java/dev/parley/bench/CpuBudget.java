package dev.parley.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where the CPU of one load point went, per operation: the service's JVM, PostgreSQL (the whole
 * cluster: the postmaster, its live children and the children it has reaped, so backends of a
 * pgbench run that ended are counted too) and the load generator (wrk or pgbench, children of this
 * JVM, counted once reaped). On 2 cores these three share the machine, so the rates a service and
 * its pgbench baseline can reach follow from these budgets: a rate ratio is bounded by the ratio of
 * the CPU milliseconds per operation of the two sides.
 *
 * <p>Linux only ({@code /proc}); the cluster's other databases count too, so it means something only
 * when nothing else runs (the benchmarks are taken on a quiet machine).
 */
final class CpuBudget {

    /** CPU seconds used so far by each party. */
    record Snapshot(double service, double postgres, double loadGenerator) {
    }

    /** CPU milliseconds per operation between two snapshots. */
    record PerOperation(double service, double postgres, double loadGenerator) {

        double total() {
            return service + postgres + loadGenerator;
        }
    }

    private static final double TICKS_PER_SECOND = 100.0;  // USER_HZ, 100 on every Linux we run on

    private final long servicePid;
    private final long postmasterPid;

    private CpuBudget(long servicePid, long postmasterPid) {
        this.servicePid = servicePid;
        this.postmasterPid = postmasterPid;
    }

    /**
     * Finds the postmaster as the parent of a backend of {@code jdbcUrl}; {@code servicePid} is 0 where
     * no service runs (the baseline alone).
     */
    static CpuBudget of(long servicePid, String jdbcUrl, String user, String password) throws SQLException, IOException {
        // The backend's parent is the postmaster; read while the connection lives, as its backend exits with it.
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return new CpuBudget(servicePid, Long.parseLong(stat(rs.getLong(1))[1]));
        }
    }

    Snapshot snapshot() throws IOException {
        double service = servicePid == 0 ? 0 : own(stat(servicePid));
        String[] postmaster = stat(postmasterPid);
        double postgres = own(postmaster) + reaped(postmaster);
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path proc : procs) {
                String[] f;
                try {
                    f = stat(Long.parseLong(proc.getFileName().toString()));
                } catch (IOException exited) {
                    continue;
                }
                if (Long.parseLong(f[1]) == postmasterPid) {
                    postgres += own(f);
                }
            }
        }
        double load = reaped(stat(ProcessHandle.current().pid()));
        return new Snapshot(service, postgres, load);
    }

    static PerOperation perOperation(Snapshot before, Snapshot after, long operations) {
        double k = 1000.0 / operations;
        return new PerOperation(k * (after.service() - before.service()), k * (after.postgres() - before.postgres()),
                k * (after.loadGenerator() - before.loadGenerator()));
    }

    /** The fields of /proc/{pid}/stat after the command name: [0] state, [1] ppid, ... [11] utime, [12] stime, [13] cutime, [14] cstime. */
    private static String[] stat(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    private static double own(String[] f) {
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }

    private static double reaped(String[] f) {
        return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / TICKS_PER_SECOND;
    }
}
