package io.reel.devserver.app;

import java.util.Optional;

/**
 * One {@code Api} event: a method and a resource path such as {@code /videos/{id}} or {@code /files/{proxy+}}.
 *
 * @param method upper case, or {@code ANY}
 * @param authorizer the authorizer that guards it, empty for a public route ({@code Authorizer: NONE})
 */
public record ApiRoute(String functionId, String method, String path, Optional<String> authorizer) {
}
