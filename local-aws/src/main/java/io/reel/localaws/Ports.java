package io.reel.localaws;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port checks with messages that name the port. */
final class Ports {
    private Ports() {
    }

    /** A port free on the loopback interface right now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new LocalAwsException("Cannot find a free port on the loopback interface: " + e.getMessage(), e);
        }
    }

    /** Fails with a clear message if {@code port} is taken; 0 means "any free port" and always passes. */
    static void requireFree(int port, String what) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new LocalAwsException(what + " cannot listen on port " + port + ": it is already in use. "
                    + "Stop whatever holds it, choose another port, or pass 0 for any free port.", e);
        }
    }
}
