package io.reel.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** {@link MixedLoad}'s options; see {@link #USAGE}. */
record Settings(URI url, int users, double warmupSeconds, double durationSeconds, Path accountsFrom, String viewer,
                String uploader, double uploaderShare, int uploadEvery, int segmentEvery, int storyboardEvery,
                int reloginEvery, int progressSaves, long thinkMs, long serverPid, Path json, Duration timeout, long seed,
                Duration awaitVideo) {

    static final String USAGE = """
            usage: MixedLoad --url http://127.0.0.1:3997 [options]
              --users N             virtual users, each on its own thread in a closed loop (16)
              --warmup S            seconds of the same load before measuring, not counted (10)
              --duration S          seconds measured (20)
              --accounts-from FILE  the devserver's output: the demo accounts are read from its banner
              --viewer NAME:PASS    the account most users sign in as (default: the banner's viewer)
              --uploader NAME:PASS  the account of the users who also upload (default: the banner's uploader)
              --uploader-share F    share of the users signed in as the uploader (0.25)
              --upload-every N      an uploader starts and cancels an upload every N journeys (10; 0: never)
              --segment-every N     one media segment fetched from S3 every N journeys (10; 0: never)
              --storyboard-every N  the storyboard cues every N journeys (4; 0: never)
              --relogin-every N     a sign-in again every N journeys (100; 0: only at the start)
              --progress N          resume positions saved per journey (3)
              --think-ms N          pause after each journey (0)
              --server-pid PID      the devserver's JVM: its memory is read (jcmd, /proc) at start, after the
                                    warm-up and after the measured run, with no load running
              --json FILE           where the machine-readable result goes (bench/target/mixed-load.json)
              --timeout S           per-request timeout in seconds (10)
              --seed N              random seed (1)
              --await-video S       first wait up to S seconds for the catalogue to list a READY video (0: no wait)
            """;

    static Settings parse(String[] args) {
        URI url = null;
        int users = 16;
        double warmup = 10;
        double duration = 20;
        Path accountsFrom = null;
        String viewer = null;
        String uploader = null;
        double uploaderShare = 0.25;
        int uploadEvery = 10;
        int segmentEvery = 10;
        int storyboardEvery = 4;
        int reloginEvery = 100;
        int progress = 3;
        long thinkMs = 0;
        long serverPid = 0;
        Path json = Path.of("bench/target/mixed-load.json");
        Duration timeout = Duration.ofSeconds(10);
        long seed = 1;
        Duration awaitVideo = Duration.ZERO;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("-h") || option.equals("--help")) {
                System.out.print(USAGE);
                System.exit(0);
            }
            if (!option.startsWith("--")) {
                url = URI.create(option);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--url" -> url = URI.create(value);
                case "--users" -> users = positive(option, Integer.parseInt(value));
                case "--warmup" -> warmup = Double.parseDouble(value);
                case "--duration" -> duration = Double.parseDouble(value);
                case "--accounts-from" -> accountsFrom = Path.of(value);
                case "--viewer" -> viewer = value;
                case "--uploader" -> uploader = value;
                case "--uploader-share" -> uploaderShare = Double.parseDouble(value);
                case "--upload-every" -> uploadEvery = Integer.parseInt(value);
                case "--segment-every" -> segmentEvery = Integer.parseInt(value);
                case "--storyboard-every" -> storyboardEvery = Integer.parseInt(value);
                case "--relogin-every" -> reloginEvery = Integer.parseInt(value);
                case "--progress" -> progress = Integer.parseInt(value);
                case "--think-ms" -> thinkMs = Long.parseLong(value);
                case "--server-pid" -> serverPid = Long.parseLong(value);
                case "--json" -> json = Path.of(value);
                case "--timeout" -> timeout = Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
                case "--seed" -> seed = Long.parseLong(value);
                case "--await-video" -> awaitVideo = Duration.ofSeconds(Long.parseLong(value));
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("the devserver's URL is needed\n" + USAGE);
        }
        if (duration <= 0 || warmup < 0 || uploaderShare < 0 || uploaderShare > 1) {
            throw new IllegalArgumentException("--duration must be > 0, --warmup >= 0, --uploader-share from 0 to 1");
        }
        return new Settings(url, users, warmup, duration, accountsFrom, viewer, uploader, uploaderShare, uploadEvery,
                segmentEvery, storyboardEvery, reloginEvery, progress, thinkMs, serverPid, json, timeout, seed,
                awaitVideo);
    }

    private static int positive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return value;
    }

    /** The options as one line, for the report. */
    String describe() {
        return String.format(Locale.ROOT, "%d users (%s uploader share), warm-up %.0f s, measured %.0f s, progress saves %d,"
                        + " storyboard every %d, segment every %d, upload every %d, sign-in again every %d journeys, think %d ms",
                users, uploaderShare, warmupSeconds, durationSeconds, progressSaves, storyboardEvery, segmentEvery, uploadEvery,
                reloginEvery, thinkMs);
    }
}
