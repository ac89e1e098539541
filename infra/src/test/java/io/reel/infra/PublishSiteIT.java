package io.reel.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/publish-site.sh against a stand-in {@code aws} command that records what it is asked: the stack's outputs
 * are read, hashed assets go up first as immutable, index.html last as no-cache, then CloudFront is invalidated; a
 * stack without the outputs stops with a message and uploads nothing.
 */
class PublishSiteIT {
    private static Path fakeAws(Path dir, boolean deployed) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path aws = bin.resolve("aws");
        Files.writeString(aws, """
                #!/usr/bin/env bash
                echo "$*" >> "%s"
                case "$*" in
                  *describe-stacks*SiteBucketName*) echo %s ;;
                  *describe-stacks*DistributionId*) echo %s ;;
                  *describe-stacks*SiteUrl*) echo https://d111111abcdef8.cloudfront.net ;;
                  *create-invalidation*) echo I2J0OQ5WZ1NZ ;;
                esac
                """.formatted(dir.resolve("calls.log"), deployed ? "reel-sitebucket-1x2y3z" : "None",
                deployed ? "E2QWRUHAPOMQZL" : "None"));
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private static Repo.Run publish(Path bin) {
        Repo.requireTool(Files.isRegularFile(Repo.ROOT.resolve("frontend/dist/index.html")), "the built page (frontend/dist)");
        return Repo.run(Repo.ROOT, Map.of("PATH", bin + ":" + System.getenv("PATH")), 120,
                "scripts/publish-site.sh", "reel-test");
    }

    @Test
    void uploadsAssetsImmutableFirst_indexHtmlNoCacheLast_thenInvalidates(@TempDir Path dir) throws IOException {
        Repo.Run run = publish(fakeAws(dir, true));
        assertThat(run.exit()).as(run.err()).isZero();
        List<String> calls = Files.readAllLines(dir.resolve("calls.log"));
        List<String> writes = calls.stream().filter(c -> c.startsWith("s3 ") || c.startsWith("cloudfront ")).toList();
        assertThat(writes).hasSize(4);
        assertThat(writes.get(0)).startsWith("s3 sync ").contains("/frontend/dist/assets s3://reel-sitebucket-1x2y3z/assets")
                .contains("--cache-control public, max-age=31536000, immutable");
        assertThat(writes.get(1)).startsWith("s3 sync ").contains("--exclude assets/*").contains("--exclude index.html")
                .contains("--cache-control no-cache");
        assertThat(writes.get(2)).startsWith("s3 cp ").contains("index.html s3://reel-sitebucket-1x2y3z/index.html")
                .contains("--cache-control no-cache").contains("--content-type text/html; charset=utf-8");
        assertThat(writes.get(3)).startsWith("cloudfront create-invalidation --distribution-id E2QWRUHAPOMQZL --paths /*");
        assertThat(calls).allMatch(c -> !c.contains("describe-stacks") || c.contains("--stack-name reel-test"));
        assertThat(run.err()).contains("https://d111111abcdef8.cloudfront.net");
    }

    @Test
    void aStackWithoutTheOutputs_stopsWithAMessage_andUploadsNothing(@TempDir Path dir) throws IOException {
        Repo.Run run = publish(fakeAws(dir, false));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("deploy it first");
        assertThat(Files.readAllLines(dir.resolve("calls.log"))).noneMatch(c -> c.startsWith("s3 ") || c.startsWith("cloudfront "));
    }
}
