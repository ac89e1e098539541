package io.reel.localaws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * Makes a completed multipart object answer with its multipart ETag on every read, as S3 does.
 *
 * <p>S3Proxy 2.6's file stores (filesystem and transient) answer the completion with {@code "<md5 of md5s>-N"} but
 * store the object through their ordinary write, which records the MD5 of the whole body; HEAD and GET then answered
 * that, so an S3 event (carrying the completion's ETag) never matched the object it announced, and the transcoder
 * refused every multipart upload as "replaced while it was being processed". The stores already read a stored ETag
 * that is not a 16-byte MD5 as a multipart ETag ({@code user.content-md5}, as text); this writes it there, on the
 * object's file under the store's root (found by reflection: S3Proxy does not expose it).
 */
final class MultipartETags {
    private static final String CONTENT_MD5 = "user.content-md5";

    private final Path root;

    private MultipartETags(Path root) {
        this.root = root;
    }

    /** For the S3Proxy file store of this context (found through its injector: the context's store is a proxy). */
    static MultipartETags of(BlobStoreContext context, Class<?> storeType) {
        return new MultipartETags(rootOf(context.utils().injector().getInstance(storeType)));
    }

    /** Records {@code eTag} (quoted, as the completion answered it) as the object's stored ETag. */
    void keep(String container, String name, String eTag) {
        if (root == null || eTag == null || !eTag.contains("-")) {
            return;
        }
        Path file = root.resolve(container).resolve(name);
        try {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
            if (view == null) {
                throw new IllegalStateException("The S3 store's files carry no user attributes: " + file.getFileSystem());
            }
            view.write(CONTENT_MD5, ByteBuffer.wrap(eTag.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not record the multipart ETag of " + container + "/" + name, e);
        }
    }

    /** The root folder of S3Proxy's nio2 stores, or null for any other store (which then keeps its own ETags). */
    private static Path rootOf(Object store) {
        for (Class<?> type = store.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals("org.gaul.s3proxy.nio2blob.AbstractNio2BlobStore")) {
                try {
                    Field field = type.getDeclaredField("root");
                    field.setAccessible(true);
                    return (Path) field.get(store);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("S3Proxy's file store changed shape: no root folder to record "
                            + "multipart ETags under (" + e + ")", e);
                }
            }
        }
        return null;
    }
}
