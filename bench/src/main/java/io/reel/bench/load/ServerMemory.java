package io.reel.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory of the server's JVM, read from outside: {@code jcmd PID GC.run} (a full collection, so what is left is
 * what the server holds on to), then {@code jcmd PID GC.heap_info} for the heap used and committed, and
 * {@code /proc/PID/status} for the resident set and the thread count. Taken only while no load runs: the full
 * collection pauses the server.
 */
final class ServerMemory {
    /**
     * A heap's or a generation's line: G1 and ZGC print one for the whole heap, Parallel and Serial one per generation
     * ({@code PSYoungGen total 76288K, used 1310K}, {@code ParOldGen total …}); Metaspace's line has no {@code total}.
     */
    private static final Pattern TOTAL_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

    /** One reading; -1 where it could not be read. */
    record Snapshot(String label, long heapUsedAfterGcKiB, long heapCommittedKiB, long rssKiB, long threads) {
    }

    private final long pid;
    private final Path jcmd;

    ServerMemory(long pid) {
        this.pid = pid;
        this.jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }

    Snapshot read(String label) {
        long used = -1;
        long committed = -1;
        try {
            run("GC.run");
            String heap = run("GC.heap_info");
            long[] sums = heapSums(heap);
            committed = sums[0];
            used = sums[1];
        } catch (IOException e) {
            System.err.println("mixed-load: jcmd " + pid + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long rss = -1;
        long threads = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            System.err.println("mixed-load: cannot read /proc/" + pid + "/status: " + e.getMessage());
        }
        return new Snapshot(label, used, committed, rss, threads);
    }

    private String run(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command)).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroy();
            throw new IOException(command + " did not finish in 60 s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(command + " exited " + process.exitValue() + ": " + text.strip());
        }
        return text;
    }

    /** Committed and used KiB of the whole heap from {@code GC.heap_info}, summed over generations; -1 if none. */
    static long[] heapSums(String heapInfo) {
        Matcher m = TOTAL_USED.matcher(heapInfo);
        long committed = 0;
        long used = 0;
        boolean any = false;
        while (m.find()) {
            committed += Long.parseLong(m.group(1));
            used += Long.parseLong(m.group(2));
            any = true;
        }
        return any ? new long[] {committed, used} : new long[] {-1, -1};
    }
}
