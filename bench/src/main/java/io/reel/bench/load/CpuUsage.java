package io.reel.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the machine's CPU went during a run, from {@code /proc} (Linux): the whole machine ({@code /proc/stat}), the
 * server's process and this load generator's ({@code /proc/PID/stat}). On a shared machine this says how much of
 * the figures is the platform's own cost and how much the rest of the machine took. Reading {@code /proc} does not
 * disturb the server. Every figure is -1 where {@code /proc} cannot be read.
 */
final class CpuUsage {
    /** Clock ticks at one moment. */
    record Sample(long nanos, int cores, long machineTotal, long machineBusy, long server, long self) {
    }

    /** A run's CPU in cores (1.0 = one core all the time) and the server's CPU milliseconds per request. */
    record Usage(int cores, double busyCores, double serverCores, double generatorCores, double otherCores,
                 double serverCpuMsPerRequest) {
        String describe() {
            return String.format(Locale.ROOT, "CPU during the measured run (%d cores): busy %.2f cores = server %.2f + load "
                    + "generator %.2f + everything else %.2f; server CPU per request %.2f ms", cores, busyCores, serverCores,
                    generatorCores, otherCores, serverCpuMsPerRequest);
        }
    }

    private CpuUsage() {
    }

    static Sample sample(long serverPid) {
        long total = -1;
        long busy = -1;
        int cores = 0;
        try {
            var lines = Files.readAllLines(Path.of("/proc/stat"));
            cores = (int) lines.stream().filter(l -> l.matches("cpu[0-9]+ .*")).count();
            String[] f = lines.get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal [guest guest_nice: already in user and nice]
            long sum = 0;
            for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                sum += Long.parseLong(f[i]);
            }
            total = sum;
            busy = sum - Long.parseLong(f[4]) - (f.length > 5 ? Long.parseLong(f[5]) : 0);
        } catch (IOException | RuntimeException e) {
            // not Linux: no CPU figures
        }
        return new Sample(System.nanoTime(), cores, total, busy, serverPid > 0 ? processTicks(Long.toString(serverPid)) : -1,
                processTicks("self"));
    }

    /** utime + stime of a process, in clock ticks. */
    static long processTicks(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5), counted from "state"
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Null when {@code /proc} could not be read. */
    static Usage between(Sample a, Sample b, long requests) {
        if (a.machineTotal() < 0 || b.machineTotal() <= a.machineTotal() || a.cores() < 1) {
            return null;
        }
        int cores = a.cores();
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        double total = b.machineTotal() - a.machineTotal();
        double ticksPerSecond = total / (cores * seconds); // USER_HZ, measured rather than assumed
        double busy = (b.machineBusy() - a.machineBusy()) / total * cores;
        double server = a.server() < 0 || b.server() < 0 ? 0 : (b.server() - a.server()) / total * cores;
        double generator = (b.self() - a.self()) / total * cores;
        double serverMsPerRequest = requests == 0 || a.server() < 0 ? 0
                : (b.server() - a.server()) / ticksPerSecond * 1000 / requests;
        return new Usage(cores, busy, server, generator, Math.max(0, busy - server - generator), serverMsPerRequest);
    }
}
