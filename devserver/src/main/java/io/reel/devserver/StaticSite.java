package io.reel.devserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * The web page (the built {@code frontend/dist/}) as CloudFront serves it from the site bucket: correct content types,
 * an ETag, {@code no-cache} for HTML (so a new deployment shows at once), a year for the content-hashed files under
 * {@code /assets/} and an hour for the rest, gzip for text, and {@code index.html} for any path without a file
 * extension, so the page's own routes ({@code /watch/…}) survive a reload.
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
    private static final Set<String> COMPRESSIBLE = Set.of("html", "css", "js", "mjs", "json", "map", "webmanifest", "svg",
            "txt", "vtt");
    /** Files under this folder have a content hash in their names (Vite's output): they never change. */
    private static final String HASHED = "assets/";

    private final Path root;
    private final Map<String, byte[]> gzipped = new ConcurrentHashMap<>();

    StaticSite(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /** Whether there is a page to serve at all (the front end may not have been built). */
    boolean isBuilt() {
        return Files.isRegularFile(root.resolve("index.html"));
    }

    /**
     * The file for a decoded request path, never outside the site folder; {@code /} and folders mean index.html, and
     * so does a path whose last segment has no extension (a route of the page, not a missing asset).
     */
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
        Optional<Asset> asset = asset(file, relative);
        if (asset.isEmpty() && isPageRoute(relative)) {
            return asset(root.resolve("index.html"), "index.html");
        }
        return asset;
    }

    private static boolean isPageRoute(String relative) {
        String last = relative.substring(relative.lastIndexOf('/') + 1);
        return !relative.startsWith(HASHED) && !last.contains(".");
    }

    private Optional<Asset> asset(Path file, String relative) {
        try {
            // Follow no link out of the site folder.
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !file.toRealPath().startsWith(root.toRealPath())) {
                return Optional.empty();
            }
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            String name = file.getFileName().toString();
            String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
            String type = TYPES.getOrDefault(extension, "application/octet-stream");
            String cache = extension.equals("html") ? "no-cache"
                    : relative.startsWith(HASHED) ? "public, max-age=31536000, immutable" : "public, max-age=3600";
            String etag = "\"" + Long.toHexString(attributes.size()) + "-" + Long.toHexString(attributes.lastModifiedTime().toMillis()) + "\"";
            return Optional.of(new Asset(file, type, cache, etag, attributes.size(), COMPRESSIBLE.contains(extension)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The gzip of a compressible asset, made once per version of the file. */
    byte[] gzip(Asset asset) {
        return gzipped.computeIfAbsent(asset.file() + "|" + asset.etag(), key -> {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(64, asset.size() / 3));
                try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
                    zip.write(asset.read());
                }
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A file to serve and the headers that go with it. */
    record Asset(Path file, String contentType, String cacheControl, String etag, long size, boolean compressible) {
        byte[] read() throws IOException {
            return Files.readAllBytes(file);
        }
    }
}
