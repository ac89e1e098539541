package io.reel.localaws;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.KeyNotFoundException;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.options.CopyOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.io.Payload;
import org.jclouds.io.Payloads;

/**
 * The blob store behind S3Proxy, reporting each object it creates to the {@link S3EventBridge} after the write
 * succeeded. S3Proxy stores a stub object named after each multipart upload id while the upload is open; those are
 * bookkeeping, not objects a client created, so they raise no event.
 *
 * <p>A body that breaks off (a browser cancelling a part, a closed tab) never reaches the store: S3Proxy's store
 * writes a temporary file next to the object and leaves it behind when the body fails, and that file, without the
 * attributes the store expects, then makes every listing, abort and prefix delete in the bucket fail with 400. So
 * streamed bodies are received whole into a local temporary file first, and only a complete body is stored.
 *
 * <p>A completed multipart object keeps the ETag S3 gives it, {@code "<md5 of the parts' md5s>-<parts>"}, on every
 * later read (HEAD, GET, If-Match, listings), not only in the completion's answer: see {@link MultipartETags}.
 */
final class NotifyingBlobStore extends ForwardingBlobStore {
    private final S3EventBridge bridge;
    private final Set<String> openUploads = ConcurrentHashMap.newKeySet();
    private final MultipartETags storedETags;
    private final java.util.Map<String, java.util.concurrent.locks.ReadWriteLock> uploadLocks = new ConcurrentHashMap<>();
    /** How S3Proxy's file stores name the stub object that stands for an open multipart upload. */
    private static final String UPLOAD_STUB_PREFIX = ".mpus-";

    NotifyingBlobStore(BlobStore delegate, S3EventBridge bridge, MultipartETags storedETags) {
        super(delegate);
        this.bridge = bridge;
        this.storedETags = storedETags;
    }

    @Override
    public String putBlob(String container, Blob blob) {
        return putBlob(container, blob, PutOptions.NONE);
    }

    @Override
    public String putBlob(String container, Blob blob, PutOptions options) {
        Received body = Received.of(blob.getPayload());
        String eTag;
        try {
            blob.setPayload(body.payload());
            eTag = delegate().putBlob(container, blob, options);
        } finally {
            body.close();
        }
        String name = blob.getMetadata().getName();
        if (!openUploads.contains(name)) {
            notifyCreated(container, name, eTag, "ObjectCreated:Put");
        }
        return eTag;
    }

    @Override
    public MultipartUpload initiateMultipartUpload(String container, BlobMetadata metadata, PutOptions options) {
        MultipartUpload upload = delegate().initiateMultipartUpload(container, metadata, options);
        openUploads.add(upload.id());
        return upload;
    }

    @Override
    public MultipartPart uploadMultipartPart(MultipartUpload upload, int partNumber, Payload payload) {
        try (Received body = Received.of(payload)) {
            // The part is written to the store while no abort or completion of its upload runs: S3Proxy's file stores
            // list an upload's parts by file name, and a part half-written (a temporary file) makes the listing, so
            // the abort, fail with 400 - a tab closed mid-upload left its upload open.
            var lock = uploadLock(upload.id()).readLock();
            lock.lock();
            try {
                // S3 answers 404 NoSuchUpload for a part of an upload that was aborted or completed; S3Proxy's file
                // stores would store it as a stray part file (a cancelled upload's presigned part URLs kept working).
                if (delegate().blobMetadata(upload.containerName(), UPLOAD_STUB_PREFIX + upload.id() + "-" + upload.blobName() + "-stub") == null) {
                    throw new KeyNotFoundException(upload.containerName(), upload.blobName(), "NoSuchUpload: " + upload.id());
                }
                return delegate().uploadMultipartPart(upload, partNumber, body.payload());
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public String completeMultipartUpload(MultipartUpload upload, List<MultipartPart> parts) {
        String eTag;
        var lock = uploadLock(upload.id()).writeLock();
        lock.lock();
        try {
            eTag = delegate().completeMultipartUpload(upload, parts);
            storedETags.keep(upload.containerName(), upload.blobName(), eTag);
        } finally {
            lock.unlock();
            uploadLocks.remove(upload.id());
        }
        openUploads.remove(upload.id());
        notifyCreated(upload.containerName(), upload.blobName(), eTag, "ObjectCreated:CompleteMultipartUpload");
        return eTag;
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        var lock = uploadLock(upload.id()).writeLock();
        lock.lock();
        try {
            delegate().abortMultipartUpload(upload);
        } finally {
            lock.unlock();
            uploadLocks.remove(upload.id());
        }
        openUploads.remove(upload.id());
    }

    private java.util.concurrent.locks.ReadWriteLock uploadLock(String uploadId) {
        return uploadLocks.computeIfAbsent(uploadId, id -> new java.util.concurrent.locks.ReentrantReadWriteLock());
    }

    @Override
    public String copyBlob(String fromContainer, String fromName, String toContainer, String toName, CopyOptions options) {
        String eTag = delegate().copyBlob(fromContainer, fromName, toContainer, toName, options);
        notifyCreated(toContainer, toName, eTag, "ObjectCreated:Copy");
        return eTag;
    }

    /** The eTag is the one the write returned (what the client saw); the size is read back from the store. */
    private void notifyCreated(String container, String name, String eTag, String eventName) {
        BlobMetadata stored = delegate().blobMetadata(container, name);
        Long size = stored == null ? null : stored.getContentMetadata().getContentLength();
        bridge.objectCreated(container, name, size == null ? 0L : size, eTag, eventName);
    }

    /** A request body received in full, or an exception (so S3Proxy answers 400) if it broke off or fell short. */
    private record Received(Payload payload, Path file) implements AutoCloseable {

        static Received of(Payload payload) {
            if (payload == null || payload.isRepeatable()) {
                return new Received(payload, null); // already whole: in memory or a file
            }
            Path file = null;
            try {
                file = Files.createTempFile("reel-s3-body-", ".part");
                long received;
                try (InputStream in = payload.openStream(); OutputStream out = Files.newOutputStream(file)) {
                    received = in.transferTo(out);
                }
                Long declared = payload.getContentMetadata().getContentLength();
                if (declared != null && declared != received) {
                    throw new IllegalArgumentException("The body ended after " + received + " of " + declared + " bytes.");
                }
                Payload whole = Payloads.newFilePayload(file.toFile());
                whole.setContentMetadata(payload.getContentMetadata());
                return new Received(whole, file);
            } catch (IOException | RuntimeException e) {
                deleteQuietly(file);
                throw e instanceof RuntimeException runtime ? runtime
                        : new IllegalArgumentException("The body broke off: " + e.getMessage(), e);
            } finally {
                payload.release();
            }
        }

        @Override
        public void close() {
            deleteQuietly(file);
        }

        private static void deleteQuietly(Path file) {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    file.toFile().deleteOnExit();
                }
            }
        }
    }
}
