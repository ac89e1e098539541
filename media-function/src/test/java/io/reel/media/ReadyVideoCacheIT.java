package io.reel.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.domain.Page;
import io.reel.core.domain.Rendition;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import io.reel.core.port.VideoStore;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The media function's memory of READY videos, over the real store on DynamoDB Local, with a clock the test moves. */
@ExtendWith(LocalAwsExtension.class)
class ReadyVideoCacheIT {
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final Duration CATALOGUE_TTL = Duration.ofSeconds(2);
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private DynamoDbVideoStore store;
    private final AtomicInteger finds = new AtomicInteger();
    private final AtomicInteger listings = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong(1_000);
    /** Runs inside the store's find, after the row was read and before it is returned: a write racing the read. */
    private final AtomicReference<Runnable> duringFind = new AtomicReference<>();
    private ReadyVideoCache cache;

    @BeforeEach
    void setUp(AwsTestResources aws) {
        store = new DynamoDbVideoStore(aws.dynamoDb(), aws.table("VideosTable"));
        cache = new ReadyVideoCache(findsCounted(store), TTL, CATALOGUE_TTL, nanos::get);
    }

    @Test
    void aReadyVideo_isReadOnceWithinItsLifetime_thenAgain() {
        Video video = saved(VideoStatus.READY);

        assertThat(cache.find(video.videoId())).contains(video);
        assertThat(cache.find(video.videoId())).contains(video);
        nanos.addAndGet(TTL.toNanos() - 1);
        assertThat(cache.find(video.videoId())).contains(video);
        assertThat(finds).hasValue(1);

        nanos.addAndGet(1);
        assertThat(cache.find(video.videoId())).contains(video);
        assertThat(finds).hasValue(2);
    }

    @Test
    void aVideoNotReady_isReadEveryTime_soItsUploaderSeesProcessingAsItGoes() {
        Video video = saved(VideoStatus.PROCESSING);

        assertThat(cache.find(video.videoId())).map(Video::status).contains(VideoStatus.PROCESSING);
        assertThat(cache.find(video.videoId())).map(Video::status).contains(VideoStatus.PROCESSING);
        assertThat(finds).hasValue(2);
        assertThat(cache.size()).isZero();
        assertThat(cache.find(VideoIds.newId())).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void anEditOrADeleteThroughIt_isSeenAtOnce() {
        Video video = saved(VideoStatus.READY);
        assertThat(cache.find(video.videoId())).contains(video);

        cache.updateDetails(video.videoId(), "A better title", "Now with words", NOW.plusSeconds(1));
        assertThat(cache.find(video.videoId())).map(Video::title).contains("A better title");

        assertThat(cache.delete(video.videoId())).isTrue();
        assertThat(cache.find(video.videoId())).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void aWriteElsewhere_isSeenWhenTheLifetimeEnds_theBoundOtherInstancesHave() {
        Video video = saved(VideoStatus.READY);
        assertThat(cache.find(video.videoId())).contains(video);

        store.updateDetails(video.videoId(), "Edited by another instance", null, NOW.plusSeconds(1));
        assertThat(cache.find(video.videoId())).map(Video::title).contains(video.title());

        nanos.addAndGet(TTL.toNanos());
        assertThat(cache.find(video.videoId())).map(Video::title).contains("Edited by another instance");
    }

    @Test
    void aReadThatOverlapsAWrite_isNotKept() {
        Video video = saved(VideoStatus.READY);
        // The row is read, then the owner's delete runs through this instance before the read returns.
        duringFind.set(() -> {
            duringFind.set(null);
            cache.delete(video.videoId());
        });

        assertThat(cache.find(video.videoId())).contains(video); // what the store had when it was read
        assertThat(cache.size()).isZero();
        assertThat(cache.find(video.videoId())).isEmpty();
    }

    @Test
    void aReadyVideoDeletedElsewhere_isForgottenOnceItsLifetimeEnds() {
        Video video = saved(VideoStatus.READY);
        cache.find(video.videoId());
        store.delete(video.videoId());

        nanos.addAndGet(TTL.toNanos());
        assertThat(cache.find(video.videoId())).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void itHoldsAtMostItsLimit_droppingExpiredVideosFirst() {
        ReadyVideoCache small = new ReadyVideoCache(findsCounted(store), TTL, CATALOGUE_TTL, nanos::get, 3);
        List<Video> videos = List.of(saved(VideoStatus.READY), saved(VideoStatus.READY), saved(VideoStatus.READY),
                saved(VideoStatus.READY));
        small.find(videos.get(0).videoId());
        nanos.addAndGet(TTL.toNanos());
        small.find(videos.get(1).videoId());
        small.find(videos.get(2).videoId());
        assertThat(small.size()).isEqualTo(3);

        small.find(videos.get(3).videoId()); // full: the expired first one goes
        assertThat(small.size()).isEqualTo(3);
        finds.set(0);
        small.find(videos.get(1).videoId());
        small.find(videos.get(3).videoId());
        assertThat(finds).hasValue(0);
    }

    @Test
    void theCataloguesFirstPage_isReadOncePerLifetime_laterPagesAndOwnListingsEveryTime() {
        saved(VideoStatus.READY);
        saved(VideoStatus.READY);
        Page<Video> first = cache.listReady(null, 1);
        assertThat(cache.listReady(null, 1)).isSameAs(first);
        nanos.addAndGet(CATALOGUE_TTL.toNanos() - 1);
        assertThat(cache.listReady(null, 1)).isSameAs(first);
        assertThat(listings).hasValue(1);

        cache.listReady(first.nextCursor(), 1);
        cache.listReady(first.nextCursor(), 1);
        cache.listByOwner("u-owner", null, 1);
        cache.listByOwner("u-owner", null, 1);
        assertThat(listings).hasValue(5);

        nanos.addAndGet(1);
        assertThat(cache.listReady(null, 1)).isNotSameAs(first);
        assertThat(listings).hasValue(6);
    }

    @Test
    void aVideoJustMadeReadyElsewhere_isInTheCatalogueWithinItsLifetime_andAnEditHereAtOnce() {
        Video ready = saved(VideoStatus.READY);
        assertThat(cache.listReady(null, 100).items()).extracting(Video::videoId).contains(ready.videoId());
        Video fresh = saved(VideoStatus.READY); // as the transcoder's markReady: not through this instance
        assertThat(cache.listReady(null, 100).items()).extracting(Video::videoId).doesNotContain(fresh.videoId());

        nanos.addAndGet(CATALOGUE_TTL.toNanos());
        assertThat(cache.listReady(null, 100).items()).extracting(Video::videoId).contains(fresh.videoId());

        cache.updateDetails(ready.videoId(), "Retitled here", null, NOW.plusSeconds(1));
        assertThat(cache.listReady(null, 100).items()).filteredOn(v -> v.videoId().equals(ready.videoId()))
                .extracting(Video::title).containsExactly("Retitled here");
        cache.delete(fresh.videoId());
        assertThat(cache.listReady(null, 100).items()).extracting(Video::videoId).doesNotContain(fresh.videoId());
    }

    @Test
    void zeroLifetimes_areNoCache_andANegativeOneIsRefused() {
        assertThat(ReadyVideoCache.around(store, Duration.ZERO, Duration.ZERO)).isSameAs(store);
        assertThat(ReadyVideoCache.around(store, TTL, Duration.ZERO)).isInstanceOf(ReadyVideoCache.class);
        assertThatThrownBy(() -> ReadyVideoCache.around(store, Duration.ofSeconds(-1), CATALOGUE_TTL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> ReadyVideoCache.around(store, TTL, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");

        ReadyVideoCache videosOnly = new ReadyVideoCache(findsCounted(store), TTL, Duration.ZERO, nanos::get);
        videosOnly.listReady(null, 5);
        videosOnly.listReady(null, 5);
        assertThat(listings).hasValue(2);
        ReadyVideoCache catalogueOnly = new ReadyVideoCache(findsCounted(store), Duration.ZERO, CATALOGUE_TTL, nanos::get);
        Video video = saved(VideoStatus.READY);
        catalogueOnly.find(video.videoId());
        catalogueOnly.find(video.videoId());
        assertThat(finds).hasValue(2);
    }

    private Video saved(VideoStatus status) {
        String id = VideoIds.newId();
        // Newer than anything other tests leave in the table, so that the catalogue's first page has it.
        Instant created = Instant.now().plus(Duration.ofHours(1)).plusMillis(SEQUENCE.incrementAndGet());
        Video video = new Video(id, "u-owner", "Video " + id.substring(0, 6), null, status, null,
                status == VideoStatus.READY ? Duration.ofSeconds(42) : null, 1280, 720,
                List.of(new Rendition("720p", Rendition.Kind.MP4, 1280, 720, 3000, "videos/" + id + "/mp4/720p.mp4")),
                "videos/" + id + "/poster.jpg", null, created, created);
        store.create(video);
        return store.find(id).orElseThrow();
    }

    /** The store, counting finds and running {@link #duringFind} inside each. */
    private VideoStore findsCounted(VideoStore real) {
        return (VideoStore) Proxy.newProxyInstance(VideoStore.class.getClassLoader(), new Class<?>[] {VideoStore.class},
                (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(real, args);
                        if (method.getName().startsWith("list")) {
                            listings.incrementAndGet();
                        }
                        if (method.getName().equals("find")) {
                            finds.incrementAndGet();
                            Runnable hook = duringFind.get();
                            if (hook != null) {
                                hook.run();
                            }
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
