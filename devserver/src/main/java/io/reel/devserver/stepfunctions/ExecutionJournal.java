package io.reel.devserver.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executions still running, one file each under {@code <data>/stepfunctions/running/}, so that a devserver
 * stopped or killed mid-execution carries them on when it starts again, as Step Functions' executions outlive any
 * one machine in AWS. An execution's file is written when it starts and removed when it ends by itself (succeeded,
 * failed, timed out, or stopped through the API); a devserver shutting down leaves it. On the next start each is
 * started again from its beginning under the same name: Reel's tasks are idempotent (a chunk encoded again writes
 * the same files, a second READY is refused), which is what makes a redrive safe in AWS too.
 */
final class ExecutionJournal {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionJournal.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A journalled execution. */
    record Entry(String stateMachineArn, String name, String input) {
    }

    private final Path folder;

    ExecutionJournal(Path dataDirectory) {
        this.folder = dataDirectory.resolve("stepfunctions").resolve("running");
    }

    void started(String stateMachineArn, String name, String input) {
        ObjectNode entry = JSON.createObjectNode().put("stateMachineArn", stateMachineArn).put("name", name).put("input", input);
        try {
            Files.createDirectories(folder);
            Path file = file(stateMachineArn, name);
            Path partial = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(partial, JSON.writeValueAsString(entry), StandardCharsets.UTF_8);
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record the execution " + name + " under " + folder, e);
        }
    }

    void ended(String stateMachineArn, String name) {
        try {
            Files.deleteIfExists(file(stateMachineArn, name));
        } catch (IOException e) {
            LOG.warn("Could not remove the record of ended execution {}: {}", name, e.toString());
        }
    }

    /** The executions a previous devserver left running; a file that cannot be read is named in the log and skipped. */
    List<Entry> unfinished() {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return entries;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                try {
                    JsonNode node = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
                    entries.add(new Entry(node.path("stateMachineArn").asText(), node.path("name").asText(), node.path("input").asText()));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Skipping unreadable execution record {}: {}", file, e.toString());
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list {}: {}", folder, e.toString());
        }
        return entries;
    }

    private Path file(String stateMachineArn, String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((stateMachineArn + "\n" + name).getBytes(StandardCharsets.UTF_8));
            return folder.resolve(HexFormat.of().formatHex(digest, 0, 16) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
