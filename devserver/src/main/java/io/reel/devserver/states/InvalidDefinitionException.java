package io.reel.devserver.states;

/**
 * A state machine definition the interpreter will not run: malformed, invalid as AWS validates it, or using a
 * feature this local interpreter does not implement. The message is one sentence naming the state and the field,
 * so that a mistake in the template is found when the devserver starts rather than halfway through an execution.
 */
public final class InvalidDefinitionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidDefinitionException(String message) {
        super(message);
    }
}
