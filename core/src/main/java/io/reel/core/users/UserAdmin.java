package io.reel.core.users;

import io.reel.core.domain.Role;
import io.reel.core.domain.User;
import io.reel.core.domain.UserStatus;
import io.reel.core.domain.Usernames;
import io.reel.core.port.FieldCipher;
import io.reel.core.port.PasswordHasher;
import io.reel.core.port.SessionStore;
import io.reel.core.port.UserStore;
import io.reel.core.security.PasswordPolicy;
import java.time.Clock;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;

/**
 * Managing accounts, for the admin routes and the operator CLI alike: create (username rule, password policy,
 * Argon2id, email encrypted), list, disable and enable (disabling ends every session and token), reset a password.
 */
public final class UserAdmin {
    private final UserStore users;
    private final SessionStore sessions;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final FieldCipher cipher;
    private final Clock clock;

    public UserAdmin(UserStore users, SessionStore sessions, PasswordHasher hasher, PasswordPolicy policy, FieldCipher cipher,
                     Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.hasher = hasher;
        this.policy = policy;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** A request that cannot be carried out as given; the message is written for the person who made it. */
    public static final class InvalidRequestException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidRequestException(String message) {
            super(message);
        }
    }

    /** An account as an operator may see it: never the hash, the email only decrypted on purpose. */
    public record Account(String userId, String username, Set<Role> roles, UserStatus status, String createdAt) {
        static Account of(User user) {
            return new Account(user.userId(), user.username(), user.roles(), user.status(), user.createdAt().toString());
        }
    }

    /** Creates an account; {@code email} may be null. Throws {@link InvalidRequestException} or AlreadyExistsException. */
    public Account create(String rawUsername, char[] password, Set<Role> roles, String email) {
        String username = Usernames.normalise(rawUsername).orElseThrow(() -> new InvalidRequestException(
                "A username is 3 to 64 letters, digits, '.', '_' or '-'."));
        Usernames.lookalikeProblem(username).ifPresent(problem -> {
            throw new InvalidRequestException(problem);
        });
        if (email != null && !email.isBlank() && !isEmailAddress(email.strip())) {
            throw new InvalidRequestException("The e-mail address must look like name@example.com (at most 254 characters).");
        }
        policy.problem(password).ifPresent(problem -> {
            throw new InvalidRequestException(problem);
        });
        if (roles.isEmpty()) {
            throw new InvalidRequestException("Give the account at least one role: viewer, uploader or admin.");
        }
        String encryptedEmail = email == null || email.isBlank() ? null : cipher.encrypt(email.strip(), username);
        User user = new User("u-" + UUID.randomUUID(), username, hasher.hash(password), roles, UserStatus.ACTIVE, 0, 0, null,
                encryptedEmail, clock.instant());
        users.create(user);
        return Account.of(user);
    }

    /**
     * An address a mail server could accept, checked as far as is useful before sending one: a local part and a
     * domain of labels with a dot, printable ASCII or letters, no spaces or controls, at most 254 characters (RFC 5321).
     */
    static boolean isEmailAddress(String email) {
        return email.length() <= 254 && EMAIL.matcher(email).matches();
    }

    private static final java.util.regex.Pattern EMAIL = java.util.regex.Pattern.compile(
            "[\\p{L}\\p{N}.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.)+"
                    + "[\\p{L}]{2,63}");

    public List<Account> list() {
        return users.list().stream().map(Account::of).sorted(java.util.Comparator.comparing(Account::username)).toList();
    }

    public Account setStatus(String rawUsername, UserStatus status) {
        User user = find(rawUsername);
        users.setStatus(user.username(), status);
        if (status == UserStatus.DISABLED) {
            sessions.revokeAllForUser(user.userId());
        }
        return Account.of(find(user.username()));
    }

    /** Sets a new password and ends every session and token of the account. */
    public void resetPassword(String rawUsername, char[] password) {
        User user = find(rawUsername);
        policy.problem(password).ifPresent(problem -> {
            throw new InvalidRequestException(problem);
        });
        users.updatePasswordHash(user.username(), hasher.hash(password));
        users.resetFailedLogins(user.username());
        users.bumpTokenVersion(user.username());
        sessions.revokeAllForUser(user.userId());
    }

    private User find(String rawUsername) {
        return Usernames.normalise(rawUsername).flatMap(users::findByUsername)
                .orElseThrow(() -> new NoSuchElementException("No account named " + rawUsername));
    }
}
