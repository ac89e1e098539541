package io.reel.media;

import io.reel.core.port.VideoStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link VideoStore} that counts every call before passing it on: tests prove hostile ids never reach the store. */
final class CountingVideoStore {
    private CountingVideoStore() {
    }

    static VideoStore around(VideoStore store, AtomicInteger calls) {
        return (VideoStore) Proxy.newProxyInstance(VideoStore.class.getClassLoader(), new Class<?>[] {VideoStore.class},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(store, args);
                    }
                    calls.incrementAndGet();
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
