package io.reel.core.port;

import io.reel.core.domain.User;
import java.util.List;
import java.util.Optional;

/** The {@code Users} table. */
public interface UserStore {
    Optional<User> findByUsername(String username);

    /** Creates the user; fails with {@link AlreadyExistsException} if the username is taken. */
    void create(User user);

    List<User> list();
}
