package io.reel.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A closed-loop load generator for the local platform: N virtual users ({@link VirtualUser}), each on its own
 * thread, sign in and then repeat a viewing journey (catalogue, video, playback, HLS master and variant playlists,
 * resume positions; now and then storyboard cues, a media segment from S3, an upload started and cancelled, a
 * sign-in again) for a warm-up, then for the measured time. Reports per route the count, requests/s, p50, p90, p99
 * and max latency, the statuses and the errors (any exception, any status or body other than the one expected),
 * the totals, and with {@code --server-pid} the server's heap after a full GC and its RSS at start, after the
 * warm-up and after the measured run. Writes the same as JSON ({@code --json}).
 *
 * <p>Closed loop: a user sends its next request when the last is answered, so the latencies are those of a server
 * kept busy by N clients, and the throughput is what N clients get from it. {@code bench/mixed-load.sh} starts a
 * devserver and runs this against it; see {@link Settings#USAGE} for the options.
 */
public final class MixedLoad {
    /** The targets of issue #15 item 4 on the reference machine (2 cores, loopback). */
    static final double TARGET_REQUESTS_PER_SECOND = 1_000;
    static final double TARGET_P99_MS = 50;
    private static final String ALL = "all routes";
    private static final String ALL_BUT_SIGN_IN = "all but sign-in";
    private static final Pattern BANNER_ACCOUNT = Pattern.compile("^\\s+(viewer|uploader|admin)\\s+(\\S+)\\s+password\\s+(\\S+)\\s*$");

    private MixedLoad() {
    }

    /** What one phase measured: every route's stats and the phase's wall time. */
    record Phase(String name, Map<String, RouteStats> routes, double seconds) {
        long requests() {
            return routes.values().stream().mapToLong(RouteStats::count).sum();
        }

        long errors() {
            return routes.values().stream().mapToLong(r -> r.errorCount).sum();
        }

        /** The routes merged, all or all but sign-in. */
        RouteStats merged(boolean withSignIn) {
            RouteStats all = new RouteStats();
            routes.forEach((route, stats) -> {
                if (withSignIn || !route.equals(VirtualUser.SIGN_IN)) {
                    all.add(stats);
                }
            });
            return all;
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("mixed-load: " + e.getMessage());
            System.exit(2);
            return;
        }
        Map<String, VirtualUser.Account> banner = settings.accountsFrom() == null ? Map.of() : bannerAccounts(settings.accountsFrom());
        VirtualUser.Account viewer = account(settings.viewer(), banner.get("viewer"), "viewer");
        VirtualUser.Account uploader = account(settings.uploader(), banner.get("uploader"), "uploader");
        if (viewer == null) {
            System.err.println("mixed-load: no viewer account: give --viewer NAME:PASSWORD or --accounts-from the devserver's output");
            System.exit(2);
        }
        int uploaders = uploader == null ? 0 : (int) Math.round(settings.users() * settings.uploaderShare());

        VirtualUser.Live live = new VirtualUser.Live();
        Queue<String> leftovers = new ConcurrentLinkedQueue<>();
        List<VirtualUser> users = new ArrayList<>();
        for (int i = 0; i < settings.users(); i++) {
            boolean uploads = i < uploaders;
            users.add(new VirtualUser(i, uploads ? uploader : viewer, uploads, settings, live, leftovers));
        }
        ServerMemory memory = settings.serverPid() > 0 ? new ServerMemory(settings.serverPid()) : null;
        System.out.printf(Locale.ROOT, "mixed-load against %s: %s%n", settings.url(), settings.describe());
        System.out.printf(Locale.ROOT, "  %d users sign in as %s, %d as %s%n", settings.users() - uploaders, viewer.username(),
                uploaders, uploader == null ? "-" : uploader.username());

        if (!settings.awaitVideo().isZero()) {
            long waitStart = System.nanoTime();
            if (!users.get(users.size() - 1).awaitReadyVideo(settings.awaitVideo())) {
                System.err.printf("mixed-load: no READY video in the catalogue after %d s%n", settings.awaitVideo().toSeconds());
                System.exit(1);
            }
            System.out.printf(Locale.ROOT, "  a READY video is in the catalogue (waited %.0f s)%n", (System.nanoTime() - waitStart) / 1e9);
        }
        List<ServerMemory.Snapshot> snapshots = new ArrayList<>();
        if (memory != null) {
            snapshots.add(memory.read("start (no load yet)"));
        }
        Phase signIn = signInAll(users, live);
        System.out.printf(Locale.ROOT, "sign-in of %d users at once: %s%n", users.size(), oneLine(signIn.merged(true)));
        if (signIn.errors() > 0) {
            printRoutes(signIn);
            System.err.println("mixed-load: sign-in failed; nothing measured");
            System.exit(1);
        }
        if (settings.warmupSeconds() > 0) {
            Phase warmup = run("warm-up", users, settings.warmupSeconds(), live, false);
            System.out.printf(Locale.ROOT, "warm-up %.1f s: %d requests, %.0f req/s, %d errors, all but sign-in %s%n",
                    warmup.seconds(), warmup.requests(), warmup.requests() / warmup.seconds(), warmup.errors(),
                    oneLine(warmup.merged(false)));
        }
        if (memory != null) {
            snapshots.add(memory.read("after warm-up"));
        }
        CpuUsage.Sample cpuBefore = CpuUsage.sample(settings.serverPid());
        Phase measured = run("measured", users, settings.durationSeconds(), live, true);
        CpuUsage.Usage cpu = CpuUsage.between(cpuBefore, CpuUsage.sample(settings.serverPid()), measured.requests());
        if (memory != null) {
            snapshots.add(memory.read("after measured run"));
        }
        int leftoverCount = leftovers.size();
        int stillLeft = 0;
        VirtualUser cleaner = users.stream().filter(VirtualUser::uploads).findFirst().orElse(null);
        for (String videoId : leftovers) {
            if (cleaner == null || !cleaner.cancelLeftover(videoId)) {
                stillLeft++;
            }
        }

        printReport(settings, signIn, measured, cpu, snapshots, leftoverCount, stillLeft);
        writeJson(settings, signIn, measured, cpu, snapshots, leftoverCount, stillLeft);
    }

    private static VirtualUser.Account account(String given, VirtualUser.Account fromBanner, String role) {
        if (given != null) {
            int colon = given.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("--" + role + " needs NAME:PASSWORD");
            }
            return new VirtualUser.Account(given.substring(0, colon), given.substring(colon + 1));
        }
        return fromBanner;
    }

    /** The demo accounts the devserver's banner prints: {@code "    viewer    viewer     password xxxx-xxxx-xxxx-xxxx"}. */
    static Map<String, VirtualUser.Account> bannerAccounts(Path log) throws IOException {
        Map<String, VirtualUser.Account> accounts = new LinkedHashMap<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = BANNER_ACCOUNT.matcher(line);
            if (m.matches()) {
                accounts.put(m.group(1), new VirtualUser.Account(m.group(2), m.group(3)));
            }
        }
        return accounts;
    }

    private static Phase signInAll(List<VirtualUser> users, VirtualUser.Live live) throws InterruptedException {
        List<Map<String, RouteStats>> perUser = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < users.size(); i++) {
            Map<String, RouteStats> stats = new LinkedHashMap<>();
            perUser.add(stats);
            VirtualUser user = users.get(i);
            threads.add(Thread.ofPlatform().name("sign-in-" + i).start(() -> user.signIn(stats)));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Phase("sign-in", merge(perUser), (System.nanoTime() - start) / 1e9);
    }

    private static Phase run(String name, List<VirtualUser> users, double seconds, VirtualUser.Live live, boolean progress)
            throws InterruptedException {
        List<Map<String, RouteStats>> perUser = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + Math.round(seconds * 1e9);
        for (int i = 0; i < users.size(); i++) {
            Map<String, RouteStats> stats = new LinkedHashMap<>();
            perUser.add(stats);
            VirtualUser user = users.get(i);
            threads.add(Thread.ofPlatform().name("vu-" + i).start(() -> user.run(stats, deadline)));
        }
        Thread reporter = progress ? Thread.ofPlatform().daemon().name("progress").start(() -> progress(live, start, deadline)) : null;
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (reporter != null) {
            reporter.interrupt();
        }
        return new Phase(name, merge(perUser), elapsed);
    }

    /** A line every 5 s while the measured run goes: requests/s and errors in those 5 s. */
    private static void progress(VirtualUser.Live live, long start, long deadline) {
        long lastRequests = live.requests().sum();
        long lastErrors = live.errors().sum();
        long last = System.nanoTime();
        try {
            while (true) {
                Thread.sleep(5_000);
                long now = System.nanoTime();
                if (now >= deadline) {
                    return;
                }
                long requests = live.requests().sum();
                long errors = live.errors().sum();
                System.out.printf(Locale.ROOT, "  %5.0f s: %6.0f req/s, %d errors%n", (now - start) / 1e9,
                        (requests - lastRequests) / ((now - last) / 1e9), errors - lastErrors);
                lastRequests = requests;
                lastErrors = errors;
                last = now;
            }
        } catch (InterruptedException e) {
            // the run ended
        }
    }

    private static Map<String, RouteStats> merge(List<Map<String, RouteStats>> perUser) {
        Map<String, RouteStats> merged = new LinkedHashMap<>();
        for (String route : VirtualUser.ROUTES) {
            for (Map<String, RouteStats> stats : perUser) {
                RouteStats one = stats.get(route);
                if (one != null) {
                    merged.computeIfAbsent(route, r -> new RouteStats()).add(one);
                }
            }
        }
        return merged;
    }

    private static String oneLine(RouteStats stats) {
        return String.format(Locale.ROOT, "%d requests, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d errors", stats.count(),
                stats.percentileMs(50), stats.percentileMs(99), stats.maxMs(), stats.errorCount);
    }

    private static void printReport(Settings settings, Phase signIn, Phase measured, CpuUsage.Usage cpu,
                                    List<ServerMemory.Snapshot> snapshots, int leftovers, int stillLeft) {
        System.out.println();
        System.out.printf(Locale.ROOT, "measured %.1f s: %d requests, %.0f req/s, %d errors%n", measured.seconds(),
                measured.requests(), measured.requests() / measured.seconds(), measured.errors());
        printRoutes(measured);
        if (cpu != null) {
            System.out.println();
            System.out.println(cpu.describe());
        }
        if (!snapshots.isEmpty()) {
            System.out.println();
            System.out.println("server memory (heap used after a full GC, heap committed, RSS, threads):");
            for (ServerMemory.Snapshot s : snapshots) {
                System.out.printf(Locale.ROOT, "  %-22s heap %8s  committed %8s  RSS %8s  threads %d%n", s.label(),
                        mib(s.heapUsedAfterGcKiB()), mib(s.heapCommittedKiB()), mib(s.rssKiB()), s.threads());
            }
            if (snapshots.size() >= 3) {
                ServerMemory.Snapshot before = snapshots.get(snapshots.size() - 2);
                ServerMemory.Snapshot after = snapshots.get(snapshots.size() - 1);
                System.out.printf(Locale.ROOT, "  growth during the measured run: heap after GC %+.1f MiB, RSS %+.1f MiB, threads %+d%n",
                        (after.heapUsedAfterGcKiB() - before.heapUsedAfterGcKiB()) / 1024.0,
                        (after.rssKiB() - before.rssKiB()) / 1024.0, after.threads() - before.threads());
            }
        }
        if (leftovers > 0) {
            System.out.printf(Locale.ROOT, "uploads not cancelled during the run (the run ended between start and cancel, or "
                    + "the cancel failed: see the errors): %d; cancelled after it: %d; still there: %d%n",
                    leftovers, leftovers - stillLeft, stillLeft);
        }
        RouteStats outsideSignIn = measured.merged(false);
        double rps = measured.requests() / measured.seconds();
        System.out.println();
        System.out.printf(Locale.ROOT, "targets: >= %.0f req/s: %s (%.0f); p99 outside sign-in <= %.0f ms: %s (%.1f ms); "
                        + "zero errors: %s (%d)%n",
                TARGET_REQUESTS_PER_SECOND, rps >= TARGET_REQUESTS_PER_SECOND ? "met" : "NOT met", rps,
                TARGET_P99_MS, outsideSignIn.percentileMs(99) <= TARGET_P99_MS ? "met" : "NOT met", outsideSignIn.percentileMs(99),
                measured.errors() == 0 ? "met" : "NOT met", measured.errors());
        System.out.printf(Locale.ROOT, "sign-in at the start (%d users at once): %s%n", settings.users(), oneLine(signIn.merged(true)));
        System.out.println("result: " + settings.json().toAbsolutePath());
    }

    private static void printRoutes(Phase phase) {
        System.out.printf(Locale.ROOT, "%-40s %8s %8s %8s %8s %8s %8s %7s  %s%n", "route", "count", "req/s", "p50 ms", "p90 ms",
                "p99 ms", "max ms", "errors", "statuses");
        phase.routes().forEach((route, stats) -> printRow(route, stats, phase.seconds()));
        printRow(ALL_BUT_SIGN_IN, phase.merged(false), phase.seconds());
        printRow(ALL, phase.merged(true), phase.seconds());
        phase.routes().forEach((route, stats) -> stats.errors.forEach((kind, count) -> System.out.printf(Locale.ROOT,
                "  error %s: %s x%d%s%n", route, kind, count,
                stats.samples.containsKey(kind) ? "\n      e.g. " + stats.samples.get(kind) : "")));
    }

    private static void printRow(String route, RouteStats stats, double seconds) {
        StringBuilder statuses = new StringBuilder();
        stats.statuses.forEach((status, count) -> statuses.append(statuses.isEmpty() ? "" : " ").append(status).append(':').append(count));
        System.out.printf(Locale.ROOT, "%-40s %8d %8.1f %8.2f %8.2f %8.2f %8.2f %7d  %s%n", route, stats.count(),
                stats.count() / seconds, stats.percentileMs(50), stats.percentileMs(90), stats.percentileMs(99), stats.maxMs(),
                stats.errorCount, statuses);
    }

    private static String mib(long kib) {
        return kib < 0 ? "?" : String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
    }

    private static void writeJson(Settings settings, Phase signIn, Phase measured, CpuUsage.Usage cpu,
                                  List<ServerMemory.Snapshot> snapshots, int leftovers, int stillLeft) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", Instant.now().toString());
        out.put("url", settings.url().toString());
        out.put("settings", settings.describe());
        out.put("users", settings.users());
        out.put("warmupSeconds", settings.warmupSeconds());
        out.put("measuredSeconds", round(measured.seconds()));
        out.put("requests", measured.requests());
        out.put("requestsPerSecond", round(measured.requests() / measured.seconds()));
        out.put("errors", measured.errors());
        List<Map<String, Object>> routes = new ArrayList<>();
        measured.routes().forEach((route, stats) -> routes.add(row(route, stats, measured.seconds())));
        out.put("routes", routes);
        out.put("allButSignIn", row(ALL_BUT_SIGN_IN, measured.merged(false), measured.seconds()));
        out.put("all", row(ALL, measured.merged(true), measured.seconds()));
        out.put("signInAtStart", row("sign-in of every user at once", signIn.merged(true), signIn.seconds()));
        if (cpu != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("cores", cpu.cores());
            c.put("busyCores", round(cpu.busyCores()));
            c.put("serverCores", round(cpu.serverCores()));
            c.put("loadGeneratorCores", round(cpu.generatorCores()));
            c.put("otherCores", round(cpu.otherCores()));
            c.put("serverCpuMsPerRequest", round(cpu.serverCpuMsPerRequest()));
            out.put("cpu", c);
        }
        List<Map<String, Object>> memory = new ArrayList<>();
        for (ServerMemory.Snapshot s : snapshots) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", s.label());
            m.put("heapUsedAfterGcKiB", s.heapUsedAfterGcKiB());
            m.put("heapCommittedKiB", s.heapCommittedKiB());
            m.put("rssKiB", s.rssKiB());
            m.put("threads", s.threads());
            memory.add(m);
        }
        out.put("serverMemory", memory);
        out.put("uploadsNotCancelledDuringRun", Map.of("count", leftovers, "stillThere", stillLeft));
        Map<String, Object> targets = new LinkedHashMap<>();
        targets.put("requestsPerSecond", TARGET_REQUESTS_PER_SECOND);
        targets.put("p99MsOutsideSignIn", TARGET_P99_MS);
        targets.put("met", measured.requests() / measured.seconds() >= TARGET_REQUESTS_PER_SECOND
                && measured.merged(false).percentileMs(99) <= TARGET_P99_MS && measured.errors() == 0);
        out.put("targets", targets);
        Path file = settings.json();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out) + "\n");
    }

    private static Map<String, Object> row(String route, RouteStats stats, double seconds) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("route", route);
        row.put("count", stats.count());
        row.put("requestsPerSecond", round(stats.count() / seconds));
        row.put("meanMs", round(stats.meanMs()));
        row.put("p50Ms", round(stats.percentileMs(50)));
        row.put("p90Ms", round(stats.percentileMs(90)));
        row.put("p99Ms", round(stats.percentileMs(99)));
        row.put("maxMs", round(stats.maxMs()));
        row.put("errors", stats.errorCount);
        Map<String, Long> statuses = new LinkedHashMap<>();
        stats.statuses.forEach((status, count) -> statuses.put(Integer.toString(status), count));
        row.put("statuses", statuses);
        if (!stats.errors.isEmpty()) {
            List<Map<String, Object>> errors = new ArrayList<>();
            stats.errors.forEach((kind, count) -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("kind", kind);
                e.put("count", count);
                e.put("sample", stats.samples.get(kind));
                errors.add(e);
            });
            row.put("errorKinds", errors);
        }
        return row;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
