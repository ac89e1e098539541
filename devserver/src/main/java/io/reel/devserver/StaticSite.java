package io.reel.devserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The web page ({@code frontend/}) as CloudFront serves it from the site bucket: correct content types, an ETag,
 * {@code no-cache} for HTML (so a new deployment shows at once) and an hour's caching for assets.
 */
final class StaticSite {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("vtt", "text/vtt; charset=utf-8"));

    private final Path root;

    StaticSite(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /** The file for a decoded request path, never outside the site folder; {@code /} and folders mean index.html. */
    Optional<Asset> find(String decodedPath) {
        if (decodedPath.contains("\0") || decodedPath.contains("\\")) {
            return Optional.empty();
        }
        String relative = decodedPath.startsWith("/") ? decodedPath.substring(1) : decodedPath;
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root)) {
            return Optional.empty();
        }
        if (Files.isDirectory(file)) {
            file = file.resolve("index.html");
        }
        try {
            // Follow no link out of the site folder.
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !file.toRealPath().startsWith(root.toRealPath())) {
                return Optional.empty();
            }
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            String name = file.getFileName().toString();
            String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
            String type = TYPES.getOrDefault(extension, "application/octet-stream");
            String cache = extension.equals("html") ? "no-cache" : "public, max-age=3600";
            String etag = "\"" + Long.toHexString(attributes.size()) + "-" + Long.toHexString(attributes.lastModifiedTime().toMillis()) + "\"";
            return Optional.of(new Asset(file, type, cache, etag, attributes.size()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A file to serve and the headers that go with it. */
    record Asset(Path file, String contentType, String cacheControl, String etag, long size) {
        byte[] read() throws IOException {
            return Files.readAllBytes(file);
        }
    }
}
