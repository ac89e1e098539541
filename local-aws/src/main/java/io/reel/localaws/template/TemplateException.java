package io.reel.localaws.template;

/** {@code template.yaml} cannot be read or a resource in it cannot be used; the message names the file or resource. */
public final class TemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
