package io.reel.devserver.app;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Lambda TOKEN authorizer of the API's {@code Auth.Authorizers}.
 *
 * @param identityHeader the header carrying the token ({@code Authorization} by default)
 * @param validationExpression a regex the token must match before the function is called
 * @param reauthorizeEvery how long a result is cached, keyed on the token (0 disables the cache)
 */
public record AuthorizerDef(String name, String functionId, String identityHeader,
                            Optional<Pattern> validationExpression, Duration reauthorizeEvery) {
}
