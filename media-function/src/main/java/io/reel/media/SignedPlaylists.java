package io.reel.media;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.reel.core.domain.VideoIds;
import io.reel.core.http.HttpResponses;
import io.reel.core.http.Problem;
import io.reel.core.port.UrlSigner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The routes a playback token authorises instead of an access token, for players that cannot send headers:
 * {@code GET /videos/{id}/hls/{playlist}} (an HLS playlist, rewritten by {@link HlsRewriter}) and
 * {@code GET /videos/{id}/storyboard.vtt} (the storyboard's thumbnail cues with signed image URLs). Every URL in the
 * answer expires when the token does. No table is read: the token is the proof that the viewer was allowed to play
 * this video when playback was granted.
 */
final class SignedPlaylists {
    static final String HLS_CONTENT_TYPE = "application/vnd.apple.mpegurl";
    static final String VTT_CONTENT_TYPE = "text/vtt; charset=utf-8";
    /** A 2-hour video's media playlist is about 100 KB; anything past 1 MiB is not one of ours. */
    static final int MAX_STORED_BYTES = 1024 * 1024;
    private static final Map<String, String> PRIVATE = Map.of("Cache-Control", "private, no-store");

    private final PlaybackTokens tokens;
    private final MediaObjects objects;
    private final UrlSigner signer;
    private final HttpResponses responses;
    private final Clock clock;

    SignedPlaylists(PlaybackTokens tokens, MediaObjects objects, UrlSigner signer, HttpResponses responses, Clock clock) {
        this.tokens = tokens;
        this.objects = objects;
        this.signer = signer;
        this.responses = responses;
        this.clock = clock;
    }

    /** The master playlist's address relative to the playback route's ({@code /videos/{id}/playback}). */
    static String masterReference(String token) {
        return "hls/master.m3u8?" + HlsRewriter.TOKEN_PARAMETER + "=" + token;
    }

    /** The storyboard cues' address relative to the playback route's. */
    static String storyboardReference(String token) {
        return "storyboard.vtt?" + HlsRewriter.TOKEN_PARAMETER + "=" + token;
    }

    /** Where the transcoder puts a video's storyboard cues: next to the rest of its outputs. */
    static String storyboardVttKey(String videoId) {
        return VideoIds.mediaPrefix(videoId) + "storyboard.vtt";
    }

    APIGatewayProxyResponseEvent playlist(APIGatewayProxyRequestEvent request) {
        String playlist = request.getPathParameters() == null ? null : request.getPathParameters().get("playlist");
        if (playlist == null || !HlsRewriter.PLAYLIST_NAME.matcher(playlist).matches()) {
            return responses.problem(Problem.notFound("No such playlist."));
        }
        return serve(request, (id, token, lifetime) -> {
            String folder = VideoIds.mediaPrefix(id) + "hls/";
            return objects.readMediaText(folder + playlist, MAX_STORED_BYTES)
                    .map(text -> HlsRewriter.rewrite(text, folder, signer.under(VideoIds.mediaPrefix(id), lifetime), token))
                    .map(body -> responses.text(200, HLS_CONTENT_TYPE, body, PRIVATE));
        });
    }

    APIGatewayProxyResponseEvent storyboard(APIGatewayProxyRequestEvent request) {
        return serve(request, (id, token, lifetime) -> objects.readMediaText(storyboardVttKey(id), MAX_STORED_BYTES)
                .map(text -> HlsRewriter.rewriteStoryboard(text, VideoIds.mediaPrefix(id),
                        signer.under(VideoIds.mediaPrefix(id), lifetime)))
                .map(body -> responses.text(200, VTT_CONTENT_TYPE, body, PRIVATE)));
    }

    private interface Rewrite {
        Optional<APIGatewayProxyResponseEvent> apply(String videoId, String token, Duration lifetime);
    }

    private APIGatewayProxyResponseEvent serve(APIGatewayProxyRequestEvent request, Rewrite rewrite) {
        String id = request.getPathParameters() == null ? null : request.getPathParameters().get("id");
        if (!VideoIds.isValid(id)) {
            return responses.problem(Problem.notFound("No such video."));
        }
        Map<String, String> query = request.getQueryStringParameters();
        String token = query == null ? null : query.get(HlsRewriter.TOKEN_PARAMETER);
        Optional<Instant> expiresAt = tokens.verify(id, token);
        // Whole seconds left, as signed URLs count them; a token in its last second is as good as expired.
        Duration lifetime = expiresAt.map(at -> Duration.ofSeconds(at.getEpochSecond() - clock.instant().getEpochSecond()))
                .orElse(Duration.ZERO);
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0) {
            return responses.problem(Problem.forbidden("The playback token is missing, expired or for another video; "
                    + "ask GET /videos/{id}/playback for a new one."));
        }
        try {
            return rewrite.apply(id, token, lifetime)
                    .orElseGet(() -> responses.problem(Problem.notFound("This video has no such playlist.")));
        } catch (HlsRewriter.DamagedPlaylistException e) {
            // Our own stored file is wrong: a 5xx, logged once by the handler with this reason.
            throw new IllegalStateException("A stored playlist of video " + id + " is damaged: " + e.getMessage(), e);
        }
    }
}
