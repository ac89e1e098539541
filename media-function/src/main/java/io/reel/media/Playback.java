package io.reel.media;

import io.reel.core.domain.Rendition;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.log.JsonLog;
import io.reel.core.port.UrlSigner;
import io.reel.core.port.UrlSigner.PrefixSigner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The time-limited URLs of one READY video: each progressive MP4 rendition (Range-capable), the HLS master playlist
 * and the storyboard's WebVTT cues (served by {@link SignedPlaylists} under a playback token for this one video), the
 * poster and the storyboard image. Keys come from the video's own record and must lie under its {@code videos/{id}/} prefix; a
 * record pointing elsewhere is not signed (and logged), so no record can hand out another video's objects.
 * Lifetime: the video's duration plus a margin, capped.
 */
final class Playback {
    private static final JsonLog LOG = JsonLog.create(Playback.class);

    /**
     * @param margin  added to the video's duration (pauses, seeking back); also the lifetime when the duration is unknown
     * @param maximum the longest a playback URL lives
     */
    record Settings(Duration margin, Duration maximum) {
        Settings {
            if (margin.isNegative() || maximum.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("Playback margin must be ≥ 0 and the maximum ≥ 1 minute");
            }
        }
    }

    record MediaUrl(String name, int width, int height, int bitrateKbps, String url) {
    }

    /** Poster URLs are signed per window of this length (or half the longest URL lifetime, if that is shorter). */
    static final Duration POSTER_WINDOW = Duration.ofHours(1);

    private final UrlSigner signer;
    private final PlaybackTokens tokens;
    private final Settings settings;
    private final Clock clock;
    private final long posterWindowSeconds;

    Playback(UrlSigner signer, PlaybackTokens tokens, Settings settings, Clock clock) {
        this.signer = signer;
        this.tokens = tokens;
        this.settings = settings;
        this.clock = clock;
        this.posterWindowSeconds = Math.max(1, Math.min(POSTER_WINDOW.toSeconds(), settings.maximum().toSeconds() / 2));
    }

    /**
     * The poster's URL for a catalogue card, or null when the video has none (or its record names a key outside its
     * folder). Signed as of the start of the current window (the UTC hour) for two windows: it outlives the response
     * by at least a window, and every answer within one window carries the same URL (CloudFront's in any container;
     * S3's while the credentials are the same), so the browser's cache serves the poster, stored
     * {@code public, max-age=31536000, immutable}, instead of fetching it again for each new signature.
     */
    String posterUrl(Video video) {
        if (video.posterKey() == null) {
            return null;
        }
        long now = clock.instant().getEpochSecond();
        Instant windowStart = Instant.ofEpochSecond(now - Math.floorMod(now, posterWindowSeconds));
        PrefixSigner urls = signer.under(VideoIds.mediaPrefix(video.videoId()), windowStart,
                Duration.ofSeconds(2 * posterWindowSeconds));
        return sign(video, urls, video.posterKey());
    }

    Duration lifetime(Video video) {
        Duration wanted = video.duration() == null ? settings.margin() : video.duration().plus(settings.margin());
        return wanted.compareTo(settings.maximum()) > 0 ? settings.maximum() : wanted;
    }

    Map<String, Object> urls(Video video) {
        Duration lifetime = lifetime(video);
        // Taken before any URL is signed, so every URL (signed for the same lifetime a moment later) outlives it and
        // it is the expiry to tell the player. The token lives as long as the URLs: a player may switch variants late.
        Instant expiresAt = clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(lifetime);
        String token = tokens.issue(video.videoId(), expiresAt);
        // One signer for the video's folder: CloudFront signs once (a wildcard policy), S3 derives its key once.
        PrefixSigner urls = signer.under(VideoIds.mediaPrefix(video.videoId()), lifetime);
        List<MediaUrl> mp4 = new ArrayList<>();
        for (Rendition rendition : video.renditions()) {
            String url = rendition.kind() == Rendition.Kind.MP4 ? sign(video, urls, rendition.key()) : null;
            if (url != null) {
                mp4.add(new MediaUrl(rendition.name(), rendition.width(), rendition.height(), rendition.bitrateKbps(), url));
            }
        }
        String poster = video.posterKey() == null ? null : sign(video, urls, video.posterKey());
        String storyboard = video.storyboardKey() == null ? null : sign(video, urls, video.storyboardKey());
        boolean hasHls = video.renditions().stream().anyMatch(r -> r.kind() == Rendition.Kind.HLS);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("videoId", video.videoId());
        // Relative to this response's URL (RFC 3986), like the playlists' own references: right behind any prefix.
        body.put("hls", hasHls ? SignedPlaylists.masterReference(token) : null);
        body.put("mp4", mp4);
        body.put("poster", poster);
        body.put("storyboard", storyboard);
        body.put("storyboardVtt", storyboard == null ? null : SignedPlaylists.storyboardReference(token));
        body.put("expiresAt", expiresAt.toString());
        return body;
    }

    /** The key's URL, or null (and an error logged) if the record names a key outside the video's folder. */
    private static String sign(Video video, PrefixSigner urls, String key) {
        try {
            return urls.url(key);
        } catch (IllegalArgumentException outside) {
            LOG.error("playback.key_outside_video", Map.of("videoId", video.videoId()), null);
            return null;
        }
    }
}
