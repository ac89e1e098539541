package io.reel.localaws.template;

import java.util.Objects;

/** One {@code AWS::S3::Bucket} in the template. Its physical name is chosen by whoever provisions it. */
public record BucketSpec(String logicalId) {
    public BucketSpec {
        Objects.requireNonNull(logicalId, "logicalId");
    }
}
