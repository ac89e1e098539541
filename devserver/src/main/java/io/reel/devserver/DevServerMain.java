package io.reel.devserver;

import io.reel.devserver.app.ApiRoute;
import io.reel.localaws.LocalAwsException;
import io.reel.localaws.template.TemplateException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code ./run.sh}'s entry point: {@code --port N} (3000), {@code --data DIR} (.reel-data), {@code --reset} (wipe the
 * data first), {@code --memory} (keep nothing), {@code --template FILE}, {@code --site DIR}, {@code --no-demo-video}
 * (a first start otherwise generates a demo video and takes it through upload and transcoding in the background),
 * {@code --dynamodb-port N} and {@code --s3-port N} (the emulators' ports; free ones by default),
 * {@code --emulators-bind ADDRESS} (where they listen: 127.0.0.1 by default; a Docker bridge's address for
 * {@code sam local invoke}'s containers).
 * Ctrl-C stops it cleanly.
 */
public final class DevServerMain {
    private DevServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        DevServer.Builder builder = DevServer.builder().demoVideo(true);
        Path data = Path.of(".reel-data");
        boolean reset = false;
        boolean memory = false;
        int dynamoDbPort = 0;
        int s3Port = 0;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--port" -> builder.port(port(value(args, ++i, option), option));
                case "--data" -> data = Path.of(value(args, ++i, option));
                case "--template" -> builder.template(Path.of(value(args, ++i, option)));
                case "--site" -> builder.siteDirectory(Path.of(value(args, ++i, option)));
                case "--reset" -> reset = true;
                case "--memory" -> memory = true;
                case "--no-demo-video" -> builder.demoVideo(false);
                case "--dynamodb-port" -> dynamoDbPort = port(value(args, ++i, option), option);
                case "--s3-port" -> s3Port = port(value(args, ++i, option), option);
                case "--emulators-bind" -> builder.emulatorsBindAddress(address(value(args, ++i, option), option));
                case "-h", "--help" -> {
                    System.out.println("usage: run.sh [--port N] [--data DIR] [--reset] [--memory] [--template FILE] [--site DIR]"
                            + " [--no-demo-video] [--dynamodb-port N] [--s3-port N] [--emulators-bind ADDRESS]");
                    return;
                }
                default -> fail("unknown option " + option + " (try --help)", 2);
            }
        }
        builder.localAwsPorts(dynamoDbPort, s3Port);
        if (reset) {
            wipe(data);
        }
        if (!memory) {
            builder.dataDirectory(data);
        }
        DevServer server;
        try {
            server = builder.start();
        } catch (DevServerException | TemplateException | LocalAwsException e) {
            fail(e.getMessage(), 1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "devserver-shutdown"));
        banner(System.out, server, memory ? "(in memory: nothing is kept)" : data.toAbsolutePath().toString());
        stopped.await();
    }

    static void banner(PrintStream out, DevServer server, String dataFolder) {
        out.println();
        long sinceLaunch = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        out.println("Reel is running at " + server.baseUri() + "/   (started in " + server.startTime().toMillis()
                + " ms, ready " + sinceLaunch + " ms after the JVM launched)");
        out.println("  data folder   " + dataFolder);
        out.println("  API           " + server.baseUri() + HttpFront.API_PREFIX + "/...");
        if (server.routes().isEmpty()) {
            out.println("  routes        none yet: template.yaml declares no Api events");
        } else {
            out.printf("  %-7s %-36s %-28s %s%n", "METHOD", "PATH", "FUNCTION", "AUTHORIZER");
            for (ApiRoute route : server.routes().stream().sorted(Comparator.comparing(ApiRoute::path)).toList()) {
                out.printf("  %-7s %-36s %-28s %s%n", route.method(), HttpFront.API_PREFIX + route.path(), route.functionId(),
                        route.authorizer().orElse("NONE (public)"));
            }
        }
        server.application().s3Triggers().forEach(trigger -> out.println("  S3 trigger    " + trigger.bucketLogicalId() + " "
                + trigger.events() + " prefix='" + trigger.prefix() + "' suffix='" + trigger.suffix() + "' -> " + trigger.functionId()));
        server.demoAccounts().ifPresent(demo -> {
            out.println("  demo accounts (sign in at " + server.baseUri() + "/):");
            demo.accounts().forEach(account -> out.printf("    %-9s %-10s password %s%n", account.role(), account.username(),
                    account.password()));
        });
        server.demoVideo().ifPresent(demo -> out.println("  demo video    processing in the background: \""
                + DemoVideoUpload.TITLE + "\" joins the catalogue in a minute or so (--no-demo-video skips it)"));
        out.println(server.dataDirectory().isPresent() ? "Press Ctrl-C to stop; data is kept."
                : "Press Ctrl-C to stop; nothing is kept.");
        out.println();
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            fail(option + " needs a value", 2);
        }
        return args[index];
    }

    private static String address(String raw, String option) {
        if (!raw.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            fail(option + " needs an IPv4 address such as 0.0.0.0, not '" + raw + "'", 2);
        }
        return raw;
    }

    private static int port(String raw, String option) {
        try {
            int port = Integer.parseInt(raw);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            fail(option + " needs a number from 0 to 65535, not '" + raw + "'", 2);
            return 0;
        }
    }

    private static void wipe(Path data) {
        if (!Files.exists(data)) {
            return;
        }
        try (Stream<Path> files = Files.walk(data)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
            System.out.println("Wiped " + data.toAbsolutePath());
        } catch (IOException e) {
            fail("Cannot wipe " + data + ": " + e.getMessage(), 1);
        }
    }

    private static void fail(String message, int status) {
        System.err.println("devserver: " + message);
        System.exit(status);
    }
}
