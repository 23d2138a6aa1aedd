package io.ordercqrs.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the whole machine was over a phase, from the kernel's CPU counters ({@code /proc/stat}):
 * a latency measured on a machine with no core to spare is mostly time spent queueing for one, and
 * says more about the machine than about the code. Every process counts, the benchmark's own
 * clients and the embedded servers included.
 */
final class MachineLoad {

    private static final Path COUNTERS = Path.of("/proc/stat");

    private final long[] start;

    private MachineLoad(long[] start) {
        this.start = start;
    }

    /** Starts counting from now. */
    static MachineLoad start() {
        return new MachineLoad(read());
    }

    /**
     * The share of all cores' time, since {@link #start()}, that was not idle (0 to 1), or NaN
     * where the kernel does not publish the counters.
     */
    double busy() {
        long[] now = read();
        if (start == null || now == null) {
            return Double.NaN;
        }
        long total = now[0] - start[0];
        long idle = now[1] - start[1];
        return total == 0 ? Double.NaN : 1 - (double) idle / total;
    }

    /** Total and idle (idle plus waiting for I/O) ticks of all cores, or {@code null}. */
    private static long[] read() {
        try {
            String[] fields = Files.readAllLines(COUNTERS).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) {
                total += Long.parseLong(fields[i]);
            }
            return new long[] {total, Long.parseLong(fields[4]) + Long.parseLong(fields[5])};
        }
        catch (IOException | RuntimeException notLinux) {
            return null;
        }
    }
}
