package io.reel.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Where S3Proxy listens: only on the loopback address by default (nothing else on the network reaches the local
 * platform's storage), on every address when asked (so {@code sam local invoke}'s containers reach it).
 */
class S3BindIT {
    /** An IPv4 address of this machine other than loopback, if it has one. */
    private static Optional<InetAddress> outwardAddress() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(i -> {
            try {
                return i.isUp() && !i.isLoopback();
            } catch (SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address).findFirst();
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1_000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void byDefault_onlyLoopbackReachesS3_andBoundToEveryAddress_othersDoToo() throws Exception {
        Optional<InetAddress> outward = outwardAddress();
        Assumptions.assumeTrue(outward.isPresent(), "this machine has no non-loopback IPv4 address to test from");
        try (LocalAws local = LocalAws.builder().start()) {
            int port = local.s3Endpoint().getPort();
            assertThat(connects(InetAddress.getLoopbackAddress(), port)).isTrue();
            assertThat(connects(outward.get(), port)).as("S3Proxy on " + outward.get() + " by default").isFalse();
        }
        try (LocalAws local = LocalAws.builder().s3BindAddress("0.0.0.0").start()) {
            assertThat(connects(outward.get(), local.s3Endpoint().getPort())).as("bound to 0.0.0.0").isTrue();
            assertThat(local.s3().listBuckets().buckets()).isNotNull();
        }
    }

    @Test
    void aBindAddressThatIsNoIpv4Address_isRefused() {
        assertThatThrownBy(() -> LocalAws.builder().s3BindAddress("localhost")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IPv4");
    }
}
