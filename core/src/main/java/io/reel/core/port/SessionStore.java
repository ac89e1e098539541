package io.reel.core.port;

import io.reel.core.domain.Session;
import java.util.Optional;

/** The {@code Sessions} table. */
public interface SessionStore {
    void create(Session session);

    Optional<Session> find(String sessionId);
}
