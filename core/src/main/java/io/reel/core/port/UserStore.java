package io.reel.core.port;

import io.reel.core.domain.User;
import io.reel.core.domain.UserStanding;
import io.reel.core.domain.UserStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code Users} table. Usernames are stored in their normalised form; callers normalise first. */
public interface UserStore {
    /** Only the account's id, status and token version (no password hash): what the authorizer reads. */
    Optional<UserStanding> findStanding(String username);

    Optional<User> findByUsername(String username);

    /** Creates the user; fails with {@link AlreadyExistsException} if the username is taken. */
    void create(User user);

    List<User> list();

    /** Counts one failed login atomically (concurrent failures are all counted); the count after this one. */
    int recordFailedLogin(String username, Instant at);

    /** After a successful login: the failure counter back to zero. */
    void resetFailedLogins(String username);

    /** Replaces the stored hash (re-hashing with current parameters, or a password reset). */
    void updatePasswordHash(String username, String passwordHash);

    /** Invalidates every token issued so far ("log out everywhere"); the new token version. */
    long bumpTokenVersion(String username);

    /** Enables or disables the user; disabling also bumps the token version. */
    void setStatus(String username, UserStatus status);
}
