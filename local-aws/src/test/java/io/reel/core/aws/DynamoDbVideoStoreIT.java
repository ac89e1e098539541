package io.reel.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.domain.InvalidCursorException;
import io.reel.core.domain.Page;
import io.reel.core.domain.Rendition;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import io.reel.core.port.AlreadyExistsException;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** core's Videos adapter against DynamoDB Local. The table is shared by the tests of this class, so each uses its own owner. */
@ExtendWith(LocalAwsExtension.class)
class DynamoDbVideoStoreIT {
    private static final Instant NOW = Instant.now();
    // The catalogue test's videos are newer than anything else in the table, so they lead the READY listing.
    private static final Instant FUTURE = Instant.parse("2999-01-01T00:00:00Z");
    private static final Comparator<Video> NEWEST_FIRST = Comparator.comparing(Video::createdAt).reversed();

    private AwsTestResources aws;
    private DynamoDbVideoStore store;

    @BeforeEach
    void store(AwsTestResources aws) {
        this.aws = aws;
        store = new DynamoDbVideoStore(aws.dynamoDb(), aws.table("VideosTable"));
    }

    @Test
    void create_thenFind_roundTripsEveryField_andOmitsNullOnes() {
        String owner = owner();
        String id = VideoIds.newId();
        Video full = new Video(id, owner, "Sunset over the bay", "Shot on a phone, \"unedited\" — ünïcödé 🎬",
                VideoStatus.READY, "not really failed", Duration.ofMillis(123_456), 1920, 1080,
                List.of(new Rendition("1080p", Rendition.Kind.HLS, 1920, 1080, 5_000, "videos/" + id + "/hls/1080p.m3u8"),
                        new Rendition("360p", Rendition.Kind.HLS, 640, 360, 800, "videos/" + id + "/hls/360p.m3u8"),
                        new Rendition("mp4", Rendition.Kind.MP4, 1280, 720, 2_500, "videos/" + id + "/720p.mp4")),
                "videos/" + id + "/poster.jpg", "videos/" + id + "/storyboard.vtt",
                NOW.plusNanos(123_456_789), NOW.plusSeconds(60));
        Video bare = new Video(VideoIds.newId(), owner, "Untitled", null, VideoStatus.AWAITING_UPLOAD, null, null, 0, 0,
                List.of(), null, null, NOW, NOW);

        store.create(full);
        store.create(bare);

        assertThat(store.find(full.videoId())).contains(full);
        assertThat(store.find(bare.videoId())).contains(bare);
        assertThat(rawItem(full.videoId())).containsKeys("description", "failureReason", "durationMs", "posterKey", "storyboardKey")
                .satisfies(item -> assertThat(item.get("renditions").l()).hasSize(3))
                .satisfies(item -> assertThat(item.get("durationMs").n()).isEqualTo("123456"));
        assertThat(rawItem(bare.videoId())).doesNotContainKeys("description", "failureReason", "durationMs", "posterKey", "storyboardKey")
                .containsKeys("videoId", "ownerId", "title", "status", "width", "height", "createdAt", "updatedAt");
        assertThat(store.find(VideoIds.newId())).isEmpty();
        assertThat(store.find("../" + full.videoId())).isEmpty();
        assertThat(store.find(null)).isEmpty();
    }

    @Test
    void create_whenIdTaken_failsWithoutOverwriting() {
        Video first = video(owner(), VideoStatus.READY, NOW);
        store.create(first);
        Video second = new Video(first.videoId(), owner(), "Impostor", "x", VideoStatus.FAILED, "nope", null, 1, 1, List.of(),
                null, null, NOW.plusSeconds(1), NOW.plusSeconds(1));

        assertThatThrownBy(() -> store.create(second)).isInstanceOf(AlreadyExistsException.class).hasMessageContaining(first.videoId());
        assertThat(store.find(first.videoId())).contains(first);
    }

    @Test
    void create_refusesAnIdThatIsNotAVideoId() {
        for (String id : List.of("../etc", "v-" + UUID.randomUUID(), VideoIds.newId().toUpperCase(java.util.Locale.ROOT))) {
            Video video = new Video(id, owner(), "t", null, VideoStatus.READY, null, null, 0, 0, List.of(), null, null, NOW, NOW);
            assertThatThrownBy(() -> store.create(video)).isInstanceOf(IllegalArgumentException.class);
            assertThat(rawItem(id)).as(id).isEmpty();
        }
    }

    @Test
    void listReady_pagesThroughOnlyReadyVideos_newestFirst() {
        String owner = owner();
        List<Video> mine = new ArrayList<>();
        VideoStatus[] notReady = {VideoStatus.AWAITING_UPLOAD, VideoStatus.PROCESSING, VideoStatus.FAILED};
        for (int i = 0; i < 25; i++) {
            VideoStatus status = i % 3 == 0 ? notReady[(i / 3) % 3] : VideoStatus.READY;
            // created out of order, with whole and fractional seconds mixed
            Instant createdAt = FUTURE.plusSeconds(((i * 7L) % 25) * 60).plusMillis(i % 2 == 0 ? 0 : 500);
            Video video = video(owner, status, createdAt);
            store.create(video);
            mine.add(video);
        }
        List<String> expected = mine.stream().filter(Video::isReady).sorted(NEWEST_FIRST).map(Video::videoId).toList();
        assertThat(expected).hasSize(16);

        Page<Video> first = store.listReady(null, 10);
        List<Video> listed = all(cursor -> store.listReady(cursor, 10), 10);

        assertThat(first.items()).hasSize(10);
        assertThat(first.hasMore()).isTrue();
        assertThat(listed).allSatisfy(v -> assertThat(v.status()).isEqualTo(VideoStatus.READY));
        assertThat(listed).extracting(Video::videoId).doesNotHaveDuplicates();
        assertThat(listed).extracting(Video::createdAt).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(listed.subList(0, expected.size())).extracting(Video::videoId).containsExactlyElementsOf(expected);
        assertThat(listed).filteredOn(v -> v.ownerId().equals(owner)).extracting(Video::videoId).containsExactlyElementsOf(expected);
    }

    @Test
    void listByOwner_returnsThatOwnersVideosOfEveryStatus_newestFirst_andNoOneElses() {
        String ana = owner();
        String bo = owner();
        List<Video> anas = new ArrayList<>();
        List<Video> bos = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            Video video = video(ana, VideoStatus.values()[i % 4], NOW.minusSeconds(i * 100L));
            store.create(video);
            anas.add(video);
            if (i < 5) {
                Video other = video(bo, VideoStatus.READY, NOW.minusSeconds(i * 100L + 50));
                store.create(other);
                bos.add(other);
            }
        }

        List<Video> anaListed = all(cursor -> store.listByOwner(ana, cursor, 5), 5);
        List<Video> boListed = all(cursor -> store.listByOwner(bo, cursor, 5), 5);

        assertThat(anaListed).containsExactlyElementsOf(anas.stream().sorted(NEWEST_FIRST).toList());
        assertThat(anaListed).extracting(Video::status).containsAll(List.of(VideoStatus.values()));
        assertThat(boListed).containsExactlyElementsOf(bos.stream().sorted(NEWEST_FIRST).toList());
        Page<Video> nobody = store.listByOwner(owner(), null, 10);
        assertThat(nobody.items()).isEmpty();
        assertThat(nobody.nextCursor()).isNull();
    }

    @Test
    void listings_sortByTime_evenWhenSecondsAreWholeOrFractional() {
        // Instant.toString() gives "...:00Z" and "...:00.500Z", which as text sort the wrong way round.
        String owner = owner();
        Instant t = NOW.truncatedTo(ChronoUnit.SECONDS);
        List<Video> videos = List.of(video(owner, VideoStatus.READY, t), video(owner, VideoStatus.READY, t.plusNanos(1_000)),
                video(owner, VideoStatus.READY, t.plusMillis(100)), video(owner, VideoStatus.READY, t.plusMillis(500)),
                video(owner, VideoStatus.READY, t.plusSeconds(1)), video(owner, VideoStatus.READY, t.plusSeconds(1).plusNanos(1)));
        videos.forEach(store::create);

        assertThat(store.listByOwner(owner, null, 100).items()).extracting(Video::videoId)
                .containsExactlyElementsOf(videos.reversed().stream().map(Video::videoId).toList());
    }

    @Test
    void hostileCursors_areRefused() {
        String owner = owner();
        store.create(video(owner, VideoStatus.READY, NOW));
        store.create(video(owner, VideoStatus.READY, NOW.minusSeconds(1)));
        String issued = store.listByOwner(owner, null, 1).nextCursor();
        assertThat(issued).isNotNull().matches("[A-Za-z0-9_-]+");
        String createdAt = new String(Base64.getUrlDecoder().decode(issued), StandardCharsets.US_ASCII).split("\\|")[0];
        String id = VideoIds.newId();

        List<String> hostile = List.of(
                "garbage!!",
                "",
                " ",
                "A".repeat(10_000),
                b64("junk"),
                b64(createdAt + "|../x"),
                b64(createdAt + "|" + "../" + "a".repeat(23)),
                b64(createdAt + "|%2e%2e" + "a".repeat(20)),
                b64(createdAt + "|" + id.toUpperCase(java.util.Locale.ROOT)),
                b64("not-a-date|" + id),
                b64("2026-13-45T99:99:99.000000000Z|" + id),
                b64(NOW.toString() + "|" + id + "|" + id),
                b64(createdAt + id),
                b64("|" + id),
                b64(createdAt + "|"),
                b64(createdAt + " |" + id),
                b64(createdAt + "|" + id + "\u0000"),
                b64("{\"videoId\":{\"S\":\"" + id + "\"},\"status\":{\"S\":\"FAILED\"},\"createdAt\":{\"S\":\"" + createdAt + "\"}}"),
                issued + "=",
                issued + "==",
                issued + "+",
                issued.substring(0, issued.length() - 1) + "/",
                issued + " ",
                " " + issued,
                issued.substring(1),
                Base64.getEncoder().encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8)) + "=");

        for (String cursor : hostile) {
            assertThatThrownBy(() -> store.listReady(cursor, 10)).as(cursor).isInstanceOf(InvalidCursorException.class)
                    .hasMessage("The cursor is not valid; start from the first page.");
            assertThatThrownBy(() -> store.listByOwner(owner, cursor, 10)).as(cursor).isInstanceOf(InvalidCursorException.class);
        }
        assertThat(store.listByOwner(owner, issued, 10).items()).hasSize(1);
    }

    @Test
    void aCursorFromOneOwnersListing_onlyPositionsAnotherOwnersListing() {
        String ana = owner();
        String bo = owner();
        Instant t0 = NOW.plusSeconds(3_600);
        List<Video> anas = new ArrayList<>();
        List<Video> bos = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            anas.add(video(ana, VideoStatus.PROCESSING, t0.plusSeconds((2L * i + 1) * 60)));
            bos.add(video(bo, VideoStatus.FAILED, t0.plusSeconds(2L * i * 60)));
        }
        anas.forEach(store::create);
        bos.forEach(store::create);

        Page<Video> anaFirst = store.listByOwner(ana, null, 3);
        assertThat(anaFirst.items()).containsExactly(anas.get(5), anas.get(4), anas.get(3));
        String anasCursor = anaFirst.nextCursor();
        assertThat(anasCursor).isNotNull();

        List<Video> boFromAnasCursor = all(cursor -> store.listByOwner(bo, cursor, 100), 100, anasCursor);
        // Ana's cursor is at t0+7min: Bo's listing starts after that position and holds only Bo's videos.
        assertThat(boFromAnasCursor).containsExactly(bos.get(3), bos.get(2), bos.get(1), bos.get(0));
        // Used on the catalogue it stays in the READY partition: none of these (unREADY) videos, nothing unREADY.
        List<Video> readyFromAnasCursor = all(cursor -> store.listReady(cursor, 100), 100, anasCursor);
        assertThat(readyFromAnasCursor).allSatisfy(v -> assertThat(v.status()).isEqualTo(VideoStatus.READY))
                .noneSatisfy(v -> assertThat(v.ownerId()).isIn(ana, bo));
    }

    @Test
    void limit_outsideOneToAHundred_isRefused() {
        String owner = owner();
        for (int limit : new int[] {0, 101, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> store.listReady(null, limit)).as("%d", limit).isExactlyInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.listByOwner(owner, null, limit)).as("%d", limit)
                    .isExactlyInstanceOf(IllegalArgumentException.class);
        }
        for (int i = 0; i < 3; i++) {
            store.create(video(owner, VideoStatus.READY, NOW.minusSeconds(i)));
        }
        assertThat(store.listByOwner(owner, null, 1).items()).hasSize(1);
        assertThat(store.listByOwner(owner, null, 100).items()).hasSize(3);
        assertThat(store.listReady(null, 100).items()).hasSizeBetween(3, 100);
    }

    @Test
    void updateDetails_setsTitleAndDescription_andKeepsEverythingElse() {
        Video video = video(owner(), VideoStatus.READY, NOW);
        store.create(video);
        Instant later = NOW.plusSeconds(30);

        Video updated = store.updateDetails(video.videoId(), "New title", "New description", later).orElseThrow();

        Video expected = new Video(video.videoId(), video.ownerId(), "New title", "New description", video.status(),
                video.failureReason(), video.duration(), video.width(), video.height(), video.renditions(), video.posterKey(),
                video.storyboardKey(), video.createdAt(), later);
        assertThat(updated).isEqualTo(expected);
        assertThat(store.find(video.videoId())).contains(expected);

        Video cleared = store.updateDetails(video.videoId(), "Newer", null, later.plusSeconds(1)).orElseThrow();
        assertThat(cleared.description()).isNull();
        assertThat(cleared.title()).isEqualTo("Newer");
        assertThat(rawItem(video.videoId())).doesNotContainKey("description").containsKey("renditions");
        assertThat(store.find(video.videoId())).contains(cleared);
    }

    @Test
    void updateDetails_ofAMissingVideo_isEmpty_andCreatesNothing() {
        String missing = VideoIds.newId();

        assertThat(store.updateDetails(missing, "title", "description", NOW)).isEmpty();
        assertThat(store.updateDetails("../" + missing, "title", null, NOW)).isEmpty();

        assertThat(store.find(missing)).isEmpty();
        assertThat(rawItem(missing)).isEmpty();
    }

    @Test
    void delete_removesTheVideoOnce() {
        String owner = owner();
        Video video = video(owner, VideoStatus.READY, NOW);
        Video kept = video(owner, VideoStatus.READY, NOW.minusSeconds(1));
        store.create(video);
        store.create(kept);

        assertThat(store.delete(video.videoId())).isTrue();
        assertThat(store.delete(video.videoId())).isFalse();
        assertThat(store.delete(VideoIds.newId())).isFalse();
        assertThat(store.delete("../" + kept.videoId())).isFalse();

        assertThat(store.find(video.videoId())).isEmpty();
        assertThat(store.find(kept.videoId())).contains(kept);
        assertThat(store.listByOwner(owner, null, 10).items()).containsExactly(kept);
    }

    /** Every page from {@code start}, checking each respects the limit; fails rather than loop for ever. */
    private static List<Video> all(Function<String, Page<Video>> list, int limit, String start) {
        List<Video> items = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String cursor = start;
        for (int pages = 0; pages < 1_000; pages++) {
            Page<Video> page = list.apply(cursor);
            assertThat(page.items().size()).isLessThanOrEqualTo(limit);
            items.addAll(page.items());
            if (page.nextCursor() == null) {
                return items;
            }
            assertThat(cursors.add(page.nextCursor())).as("a cursor repeats").isTrue();
            cursor = page.nextCursor();
        }
        throw new AssertionError("the listing never ended");
    }

    private static List<Video> all(Function<String, Page<Video>> list, int limit) {
        return all(list, limit, null);
    }

    private Map<String, AttributeValue> rawItem(String videoId) {
        return aws.dynamoDb().getItem(r -> r.tableName(aws.table("VideosTable"))
                .key(Map.of("videoId", AttributeValue.fromS(videoId))).consistentRead(true)).item();
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String owner() {
        return "u-" + UUID.randomUUID();
    }

    private static Video video(String owner, VideoStatus status, Instant createdAt) {
        String id = VideoIds.newId();
        List<Rendition> renditions = status == VideoStatus.READY
                ? List.of(new Rendition("720p", Rendition.Kind.HLS, 1280, 720, 2_500, "videos/" + id + "/hls/720p.m3u8")) : List.of();
        return new Video(id, owner, "Video " + id.substring(0, 6), null, status,
                status == VideoStatus.FAILED ? "no video stream found" : null,
                status == VideoStatus.READY ? Duration.ofSeconds(42) : null, 1280, 720, renditions,
                status == VideoStatus.READY ? "videos/" + id + "/poster.jpg" : null, null, createdAt, createdAt);
    }
}
