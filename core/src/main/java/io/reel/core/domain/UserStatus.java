package io.reel.core.domain;

/** Whether a user may sign in; disabling also revokes every session and token. */
public enum UserStatus {
    ACTIVE,
    DISABLED
}
