package io.reel.devserver;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The security headers every page and asset of the web page carries, as CloudFront's response headers policy sends
 * them in AWS. The Content-Security-Policy allows scripts, styles and connections of the site's own origin only, plus
 * the origins signed media URLs point at (images, media, and the fetches of hls.js and of uploads):
 * <ul>
 *   <li>{@code script-src 'self'}: no inline script, no eval, no script from elsewhere;</li>
 *   <li>{@code style-src 'self' 'unsafe-inline'}: the player's web components (media-chrome, custom-media-element)
 *       put {@code <style>} elements in their shadow roots, which a strict {@code style-src} would refuse; the page's
 *       own styles are files;</li>
 *   <li>{@code media-src … blob:}: hls.js plays through a MediaSource object URL;</li>
 *   <li>{@code frame-ancestors 'none'}: no other site may frame the page.</li>
 * </ul>
 */
final class SiteHeaders {
    private SiteHeaders() {
    }

    /** The headers for a site whose signed media URLs (and upload URLs) point at these origins. */
    static Map<String, String> forMediaOrigins(List<URI> mediaOrigins) {
        String media = mediaOrigins.stream().map(SiteHeaders::origin).distinct().collect(Collectors.joining(" "));
        String extra = media.isEmpty() ? "" : " " + media;
        String policy = String.join("; ",
                "default-src 'self'",
                "script-src 'self'",
                "style-src 'self' 'unsafe-inline'",
                "img-src 'self'" + extra,
                "media-src 'self' blob:" + extra,
                "connect-src 'self'" + extra,
                "font-src 'self'",
                "worker-src 'self'",
                "manifest-src 'self'",
                "object-src 'none'",
                "base-uri 'self'",
                "form-action 'self'",
                "frame-ancestors 'none'");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", policy);
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Cross-Origin-Opener-Policy", "same-origin");
        headers.put("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
        return Map.copyOf(headers);
    }

    /** scheme://host[:port] of a URL, as CSP names a source. */
    static String origin(URI uri) {
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("Not an absolute URL: " + uri);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
