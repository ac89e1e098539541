package io.reel.core.port;

import io.reel.core.domain.TokenClaims;

/** Signs access tokens; in AWS the private key never leaves KMS, locally it is a key file. */
public interface TokenSigner {
    /** The compact JWS for these claims, with this signer's {@code kid} in its header. */
    String sign(TokenClaims claims);

    String keyId();
}
