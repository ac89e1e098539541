package io.reel.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3 as {@code ./run.sh} runs it: kept in a data folder named relatively ({@code .reel-data}), and in memory. Issue
 * #15, defects 5 and 9: with a relative folder every listing was empty (so prefix deletes deleted nothing and ListParts
 * found no parts), and in both modes a completed multipart object was read back with another ETag than the one its
 * completion and its S3 event carried.
 */
class PersistentS3IT {
    private static final String BUCKET = "reel-persistent-s3";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"relative data folder", "in memory"})
    void listingsAndMultipartETags_holdAsInS3(String mode) throws Exception {
        Path data = mode.startsWith("relative") ? Path.of("target", "s3-data-" + UUID.randomUUID()) : null;
        LocalAws.Builder builder = LocalAws.builder();
        if (data != null) {
            builder.dataDirectory(data);
        }
        BlockingQueue<S3Event> events = new LinkedBlockingQueue<>();
        String completedETag;
        try (LocalAws aws = builder.start()) {
            S3Client s3 = aws.s3();
            s3.createBucket(r -> r.bucket(BUCKET));
            aws.s3Events().subscribe(BUCKET, events::add);
            for (String key : List.of("videos/v-1/720p.mp4", "videos/v-1/hls/0.m4s", "videos/v-2/720p.mp4")) {
                s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString(key));
            }
            assertThat(keys(s3, "videos/v-1/")).containsExactly("videos/v-1/720p.mp4", "videos/v-1/hls/0.m4s");

            byte[] body = new byte[11 * 1024 * 1024];
            new Random(7).nextBytes(body);
            String key = "uploads/v-3/source.mp4";
            String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key)).uploadId();
            List<CompletedPart> parts = new ArrayList<>();
            int partSize = 5 * 1024 * 1024;
            for (int number = 1, offset = 0; offset < body.length; number++, offset += partSize) {
                int n = number;
                byte[] part = java.util.Arrays.copyOfRange(body, offset, Math.min(body.length, offset + partSize));
                String eTag = s3.uploadPart(r -> r.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(n),
                        RequestBody.fromBytes(part)).eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(eTag).build());
            }
            assertThat(s3.listParts(r -> r.bucket(BUCKET).key(key).uploadId(uploadId)).parts()).hasSize(3);
            completedETag = s3.completeMultipartUpload(r -> r.bucket(BUCKET).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts))).eTag();

            assertThat(completedETag).matches("\"[0-9a-f]{32}-3\"");
            assertThat(s3.headObject(r -> r.bucket(BUCKET).key(key)).eTag()).isEqualTo(completedETag);
            assertThat(s3.getObject(r -> r.bucket(BUCKET).key(key).ifMatch(completedETag)).readAllBytes()).isEqualTo(body);
            assertThat(s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("uploads/v-3/")).contents())
                    .extracting(S3Object::eTag).containsExactly(completedETag);
            S3Event event = null;
            for (int i = 0; i < 4 && event == null; i++) {
                S3Event next = events.poll(10, TimeUnit.SECONDS);
                if (next != null && next.getRecords().get(0).getS3().getObject().getKey().contains("v-3")) {
                    event = next;
                }
            }
            assertThat(event).isNotNull();
            assertThat(event.getRecords().get(0).getS3().getObject().geteTag()).isEqualTo(completedETag.replace("\"", ""));

            keys(s3, "videos/v-1/").forEach(k -> s3.deleteObject(r -> r.bucket(BUCKET).key(k)));
            assertThat(keys(s3, "videos/")).containsExactly("videos/v-2/720p.mp4");
        }
        if (data != null) {
            assertThat(Files.exists(data.resolve("s3").resolve(BUCKET).resolve("videos/v-1/720p.mp4"))).as("deleted on disk").isFalse();
            try (LocalAws again = LocalAws.builder().dataDirectory(data).start()) {
                assertThat(again.s3().headObject(r -> r.bucket(BUCKET).key("uploads/v-3/source.mp4")).eTag())
                        .as("kept across a restart").isEqualTo(completedETag);
            }
        }
    }

    private static List<String> keys(S3Client s3, String prefix) {
        return s3.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(prefix)).contents().stream().map(S3Object::key).toList();
    }
}
