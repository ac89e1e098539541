package io.reel.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hands each test a {@link Web}: the shared platform (or the one its class asks for with {@link ShortLived}) and a
 * fresh browser context; after the test, fails it on any console error it did not expect, and closes the context.
 */
public final class BrowserExtension implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BrowserExtension.class);

    /** The class's tests run against a platform whose playback links and access tokens live seconds ({@link Platform#SHORT_LIVED}). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface ShortLived {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Web.class || parameter.getParameter().getType() == Platform.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Platform platform = platform(context);
        if (parameter.getParameter().getType() == Platform.class) {
            return platform;
        }
        Path screenshots = Path.of(System.getProperty("reel.screenshots", "target/screenshots"));
        Web web = new Web(platform, Chromium.browser(context), screenshots);
        context.getStore(NAMESPACE).put(Web.class, web);
        return web;
    }

    static Platform platform(ExtensionContext context) {
        boolean shortLived = context.getRequiredTestClass().isAnnotationPresent(ShortLived.class);
        return Platform.get(context, shortLived ? Platform.SHORT_LIVED : Platform.STANDARD);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Web web = context.getStore(NAMESPACE).remove(Web.class, Web.class);
        if (web == null) {
            return;
        }
        List<String> errors = web.unexpectedErrors();
        web.close();
        if (context.getExecutionException().isEmpty()) {
            assertThat(errors).as("console errors on the pages of this test").isEmpty();
        }
    }
}
