package io.reel.media;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.reel.core.domain.DisplayText;
import io.reel.core.domain.InvalidCursorException;
import io.reel.core.domain.Page;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.http.Caller;
import io.reel.core.http.HttpResponses;
import io.reel.core.http.Requests;
import io.reel.core.http.Problem;
import io.reel.core.port.PlaybackPositionStore;
import io.reel.core.port.VideoStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogue routes: {@code GET /videos} (READY videos newest first, or with {@code owner=me} the caller's own
 * of every status), {@code GET /videos/{id}}, {@code PATCH /videos/{id}} and {@code DELETE /videos/{id}} (owner or
 * admin), {@code GET /videos/{id}/playback} (time-limited URLs of a READY video and the caller's resume position; 409
 * with the status otherwise), {@code PUT /videos/{id}/progress} (the caller's position), the token-authorised
 * playlist routes of {@link SignedPlaylists}, and the direct uploads of {@link Uploads}. Ids are checked against the server's format before any store is touched; a video the caller may not see
 * is a 404, the same as one that does not exist.
 */
final class MediaRoutes {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    static final int MAX_TITLE = 200;
    static final int MAX_DESCRIPTION = 5_000;
    /**
     * A position this close to the end means the viewer finished: the next playback starts from the beginning. A
     * short video's end is closer: {@link #finishedWithin}.
     */
    static final Duration FINISHED_WITHIN = Duration.ofSeconds(10);
    /** The cap on a position when the video's duration is not known: a day. */
    static final double MAX_UNKNOWN_DURATION_SECONDS = 86_400;

    private final VideoStore videos;
    private final PlaybackPositionStore positions;
    private final MediaObjects objects;
    private final Playback playback;
    private final SignedPlaylists playlists;
    private final Uploads uploads;
    private final HttpResponses responses;
    private final Clock clock;

    MediaRoutes(VideoStore videos, PlaybackPositionStore positions, MediaObjects objects, Playback playback,
                SignedPlaylists playlists, Uploads uploads, HttpResponses responses, Clock clock) {
        this.videos = videos;
        this.positions = positions;
        this.objects = objects;
        this.playback = playback;
        this.playlists = playlists;
        this.uploads = uploads;
        this.responses = responses;
        this.clock = clock;
    }

    /** The edit a PATCH may make; an absent (or null) field is left as it is; an empty description clears it. */
    record Details(String title, String description) {
    }

    APIGatewayProxyResponseEvent route(APIGatewayProxyRequestEvent request) {
        String route = request.getHttpMethod() + " " + request.getResource();
        // Authorised by a playback token in the query, not by the API's authorizer (players cannot send headers).
        if (route.equals("GET /videos/{id}/hls/{playlist}")) {
            return playlists.playlist(request);
        }
        if (route.equals("GET /videos/{id}/storyboard.vtt")) {
            return playlists.storyboard(request);
        }
        Caller caller = Caller.of(request).orElse(null);
        if (caller == null) {
            return responses.problem(Problem.unauthorized("Sign in first."));
        }
        return switch (route) {
            case "GET /videos" -> list(request, caller);
            case "GET /videos/{id}" -> withVisibleVideo(request, caller, video -> responses.ok(view(video, caller)));
            case "PATCH /videos/{id}" -> withVisibleVideo(request, caller, video -> edit(request, caller, video));
            case "DELETE /videos/{id}" -> withVisibleVideo(request, caller, video -> delete(caller, video));
            case "GET /videos/{id}/playback" -> withVisibleVideo(request, caller, video -> video.isReady()
                    ? responses.ok(playbackOf(video, caller))
                    : notReady(caller, video));
            case "PUT /videos/{id}/progress" -> withVisibleVideo(request, caller, video -> video.isReady()
                    ? savePosition(request, caller, video)
                    : notReady(caller, video));
            case "GET /uploads/limits" -> uploads.limits(caller);
            case "POST /uploads" -> uploads.start(request, caller);
            case Uploads.COMPLETE_ROUTE -> uploads.complete(request, caller);
            case "DELETE /uploads/{id}" -> uploads.cancel(request, caller);
            default -> responses.problem(Problem.notFound("No such route: " + route));
        };
    }

    private APIGatewayProxyResponseEvent notReady(Caller caller, Video video) {
        return responses.problem(Problem.conflict("The video is not ready to play: its status is " + video.status()
                + (owns(caller, video) && video.failureReason() != null ? " (" + video.failureReason() + ")" : "") + "."));
    }

    /** The playback URLs and where this viewer stopped last (null: from the start, also once they reached the end). */
    private Map<String, Object> playbackOf(Video video, Caller caller) {
        Map<String, Object> body = playback.urls(video);
        Optional<Duration> position = positions.find(caller.userId(), video.videoId());
        boolean finished = position.isPresent() && video.duration() != null
                && position.get().compareTo(video.duration().minus(finishedWithin(video.duration()))) >= 0;
        body.put("resumeAt", position.filter(p -> !finished && !p.isZero()).map(p -> p.toMillis() / 1000.0).orElse(null));
        return body;
    }

    /**
     * How close to the end counts as finished: {@link #FINISHED_WITHIN}, or 5 % of the duration when that is less, so
     * that in a 10-second clip only the last half second is the end, not all of it.
     */
    static Duration finishedWithin(Duration duration) {
        Duration share = duration.dividedBy(20);
        return share.compareTo(FINISHED_WITHIN) < 0 ? share : FINISHED_WITHIN;
    }

    /** A position, in seconds from the start: what a player sends every few seconds and on pause. */
    record Position(Double positionSeconds) {
    }

    private APIGatewayProxyResponseEvent savePosition(APIGatewayProxyRequestEvent request, Caller caller, Video video) {
        Double seconds = Requests.jsonBody(request, Position.class).positionSeconds();
        double limit = video.duration() == null ? MAX_UNKNOWN_DURATION_SECONDS : video.duration().toMillis() / 1000.0;
        if (seconds == null || !Double.isFinite(seconds) || seconds < 0 || seconds > limit) {
            return responses.problem(Problem.badRequest("positionSeconds must be a number of seconds from 0 to the video's "
                    + "duration (" + limit + ")."));
        }
        positions.save(caller.userId(), video.videoId(), Duration.ofMillis(Math.round(seconds * 1000)));
        return responses.noContent();
    }

    private APIGatewayProxyResponseEvent list(APIGatewayProxyRequestEvent request, Caller caller) {
        Map<String, String> query = request.getQueryStringParameters() == null ? Map.of() : request.getQueryStringParameters();
        int limit;
        try {
            limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit")) : DEFAULT_LIMIT;
        } catch (NumberFormatException e) {
            return responses.problem(Problem.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT + "."));
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            return responses.problem(Problem.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT + "."));
        }
        String owner = query.get("owner");
        if (owner != null && !owner.equals("me")) {
            return responses.problem(Problem.badRequest("owner can only be 'me'."));
        }
        String cursor = query.get("cursor");
        if (cursor != null && cursor.length() > 512) {
            return responses.problem(Problem.badRequest("The cursor is not valid; start from the first page."));
        }
        Page<Video> page;
        try {
            page = owner == null ? videos.listReady(cursor, limit) : videos.listByOwner(caller.userId(), cursor, limit);
        } catch (InvalidCursorException e) {
            return responses.problem(Problem.badRequest(e.getMessage()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(v -> view(v, caller)).toList());
        body.put("nextCursor", page.nextCursor());
        return responses.ok(body);
    }

    private APIGatewayProxyResponseEvent edit(APIGatewayProxyRequestEvent request, Caller caller, Video video) {
        if (!owns(caller, video)) {
            return responses.problem(Problem.forbidden("Only the video's owner or an admin can change it."));
        }
        Details details = Requests.jsonBody(request, Details.class);
        String title = details.title() != null ? details.title().strip() : video.title();
        String description = details.description() == null ? video.description()
                : details.description().isEmpty() ? null : details.description();
        if (title.isEmpty() || title.codePointCount(0, title.length()) > MAX_TITLE) {
            return responses.problem(Problem.badRequest("The title must be 1 to " + MAX_TITLE + " characters."));
        }
        if (description != null && description.codePointCount(0, description.length()) > MAX_DESCRIPTION) {
            return responses.problem(Problem.badRequest("The description must be at most " + MAX_DESCRIPTION + " characters."));
        }
        Optional<String> unreadable = DisplayText.problem(title, false).map(reason -> "The title " + reason)
                .or(() -> description == null ? Optional.empty() : DisplayText.problem(description, true)
                        .map(reason -> "The description " + reason));
        if (unreadable.isPresent()) {
            return responses.problem(Problem.badRequest(unreadable.get()));
        }
        return videos.updateDetails(video.videoId(), title, description, clock.instant())
                .map(updated -> responses.ok(view(updated, caller)))
                .orElseGet(() -> responses.problem(Problem.notFound("No such video.")));
    }

    private APIGatewayProxyResponseEvent delete(Caller caller, Video video) {
        if (!owns(caller, video)) {
            return responses.problem(Problem.forbidden("Only the video's owner or an admin can delete it."));
        }
        // Objects first: if this fails halfway the item is still there to retry the delete from.
        objects.deleteAll(video.videoId());
        videos.delete(video.videoId());
        return responses.noContent();
    }

    /** Runs the action on the path's video if it exists and this caller may see it; 404 otherwise. */
    private APIGatewayProxyResponseEvent withVisibleVideo(APIGatewayProxyRequestEvent request, Caller caller,
                                                          java.util.function.Function<Video, APIGatewayProxyResponseEvent> action) {
        String id = request.getPathParameters() == null ? null : request.getPathParameters().get("id");
        if (!VideoIds.isValid(id)) {
            return responses.problem(Problem.notFound("No such video."));
        }
        Optional<Video> video = videos.find(id).filter(v -> v.isReady() || owns(caller, v));
        return video.map(action).orElseGet(() -> responses.problem(Problem.notFound("No such video.")));
    }

    /** The video as this caller may see it, its poster signed. */
    private VideoView view(Video video, Caller caller) {
        return VideoView.of(video, owns(caller, video), playback.posterUrl(video));
    }

    private static boolean owns(Caller caller, Video video) {
        return caller.isAdmin() || caller.userId().equals(video.ownerId());
    }
}
