package io.reel.core.http;

import java.util.Objects;

/**
 * An RFC 9457 problem detail. With {@code type} {@code about:blank} the title is the HTTP reason phrase and
 * {@code detail} says, for a person, what was wrong with this request. Nothing internal ever goes in it.
 */
public record Problem(String type, String title, int status, String detail) {
    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("A problem has a 4xx or 5xx status, not " + status);
        }
    }

    public static Problem of(int status, String detail) {
        return new Problem("about:blank", reasonPhrase(status), status, detail);
    }

    public static Problem badRequest(String detail) {
        return of(400, detail);
    }

    public static Problem unauthorized(String detail) {
        return of(401, detail);
    }

    public static Problem forbidden(String detail) {
        return of(403, detail);
    }

    public static Problem notFound(String detail) {
        return of(404, detail);
    }

    public static Problem conflict(String detail) {
        return of(409, detail);
    }

    public static Problem payloadTooLarge(String detail) {
        return of(413, detail);
    }

    public static Problem tooManyRequests(String detail) {
        return of(429, detail);
    }

    /** The only body a 5xx gets: the request id lets an operator find the one log line with the cause. */
    public static Problem internalError(String requestId) {
        return of(500, "Something went wrong on our side. Reference: " + requestId);
    }

    static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status < 500 ? "Client Error" : "Server Error";
        };
    }
}
