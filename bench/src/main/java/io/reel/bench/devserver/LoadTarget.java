package io.reel.bench.devserver;

import io.reel.devserver.DevServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Starts an in-memory devserver with the load-test template on the port given, until killed. */
public final class LoadTarget {
    private LoadTarget() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path template = Files.createTempFile("devserver-bench", ".yaml");
        try (var in = LoadTarget.class.getResourceAsStream("/devserver-bench-template.yaml")) {
            Files.copy(in, template, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path site = Files.createTempDirectory("devserver-bench-site");
        DevServer server = DevServer.builder().template(template).siteDirectory(site).port(port).start();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        System.out.println("READY " + server.baseUri());
        stop.await();
    }
}
