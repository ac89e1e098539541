package io.reel.core.port;

import io.reel.core.domain.TokenClaims;

/** Verifies access tokens with an algorithm fixed by configuration and keys looked up by {@code kid}. */
public interface TokenVerifier {
    /** The token's claims; throws {@link InvalidTokenException} for anything not signed, current and ours. */
    TokenClaims verify(String token);

    /** Why a token was refused; the message is for logs, clients only ever see 401. */
    final class InvalidTokenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidTokenException(String message) {
            super(message);
        }

        public InvalidTokenException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
