package io.reel.localaws;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.options.CopyOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;

/**
 * The blob store behind S3Proxy, reporting each object it creates to the {@link S3EventBridge} after the write
 * succeeded. S3Proxy stores a stub object named after each multipart upload id while the upload is open; those are
 * bookkeeping, not objects a client created, so they raise no event.
 */
final class NotifyingBlobStore extends ForwardingBlobStore {
    private final S3EventBridge bridge;
    private final Set<String> openUploads = ConcurrentHashMap.newKeySet();

    NotifyingBlobStore(BlobStore delegate, S3EventBridge bridge) {
        super(delegate);
        this.bridge = bridge;
    }

    @Override
    public String putBlob(String container, Blob blob) {
        return putBlob(container, blob, PutOptions.NONE);
    }

    @Override
    public String putBlob(String container, Blob blob, PutOptions options) {
        String eTag = delegate().putBlob(container, blob, options);
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
    public String completeMultipartUpload(MultipartUpload upload, List<MultipartPart> parts) {
        String eTag = delegate().completeMultipartUpload(upload, parts);
        openUploads.remove(upload.id());
        notifyCreated(upload.containerName(), upload.blobName(), eTag, "ObjectCreated:CompleteMultipartUpload");
        return eTag;
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        delegate().abortMultipartUpload(upload);
        openUploads.remove(upload.id());
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
}
