package io.reel.transcode.probe;

/**
 * Points JavaCPP's native-library cache at {@code /tmp} unless whoever runs the function chose one.
 *
 * <p>JavaCPP extracts FFmpeg's shared libraries from the jar into its cache folder before loading them, by default
 * {@code ~/.javacpp/cache}; in Lambda the only writable place is {@code /tmp}. JavaCPP reads the setting once, when
 * it loads its first library, so this must run before any JavaCV or JavaCPP class initialises.
 */
public final class Natives {
    static final String CACHE_DIR = "/tmp/javacpp-cache";
    /** JavaCPP honours both spellings; either one set by the operator wins. */
    private static final String CACHE_DIR_PROPERTY = "org.bytedeco.javacpp.cachedir";
    private static final String CACHE_DIR_PROPERTY_ALIAS = "org.bytedeco.javacpp.cacheDir";

    private Natives() {
    }

    /** Idempotent; call before anything loads JavaCV or JavaCPP. */
    public static void prepare() {
        if (System.getProperty(CACHE_DIR_PROPERTY) == null && System.getProperty(CACHE_DIR_PROPERTY_ALIAS) == null) {
            System.setProperty(CACHE_DIR_PROPERTY, CACHE_DIR);
        }
    }
}
