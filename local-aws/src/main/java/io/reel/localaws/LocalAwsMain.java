package io.reel.localaws;

import io.reel.localaws.template.TemplateResources;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs local AWS on its own until Ctrl-C, with data kept under a folder: what {@code ./run.sh} starts until the
 * devserver (which embeds LocalAws) takes over. Arguments: {@code --data DIR}, {@code --dynamodb-port N},
 * {@code --s3-port N}.
 */
public final class LocalAwsMain {
    private LocalAwsMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path data = Path.of(".reel-data");
        var builder = LocalAws.builder();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--data" -> data = Path.of(required(args[i], value));
                case "--dynamodb-port" -> builder.dynamoDbPort(port(args[i], value));
                case "--s3-port" -> builder.s3Port(port(args[i], value));
                default -> usage("unknown option " + args[i]);
            }
            i++;
        }
        LocalAws aws;
        try {
            aws = builder.dataDirectory(data).start();
        } catch (LocalAwsException e) {
            System.err.println("local-aws: " + e.getMessage());
            System.exit(1);
            return;
        }
        var names = aws.provision(TemplateResources.locateTemplate(Path.of("")), ResourceNamer.plain());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            aws.close();
            stopped.countDown();
        }, "local-aws-shutdown"));
        System.out.printf("""

                Reel local AWS is running (started in %d ms)
                  DynamoDB Local  %s
                  S3 (S3Proxy)    %s
                  region          %s, access key %s / %s
                  data folder     %s
                  tables          %s
                  buckets         %s
                Press Ctrl-C to stop; data is kept.
                %n""", aws.startTime().toMillis(), aws.dynamoDbEndpoint(), aws.s3Endpoint(), aws.region(),
                LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, data.toAbsolutePath(), names.tables(), names.buckets());
        stopped.await();
    }

    private static String required(String option, String value) {
        if (value == null) {
            usage(option + " needs a value");
        }
        return value;
    }

    private static int port(String option, String value) {
        try {
            return Integer.parseInt(required(option, value));
        } catch (NumberFormatException e) {
            usage(option + " needs a port number, not '" + value + "'");
            return 0;
        }
    }

    private static void usage(String problem) {
        System.err.println("local-aws: " + problem + "\nusage: LocalAwsMain [--data DIR] [--dynamodb-port N] [--s3-port N]");
        System.exit(2);
    }
}
