package io.reel.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Where DynamoDB Local and S3Proxy listen: only on the loopback address by default (nothing else on the network reaches
 * the local platform's tables, password hashes included, or its storage), on another address when asked (so
 * {@code sam local invoke}'s containers reach them); and a persistent data folder is its owner's alone.
 */
class EmulatorsBindIT {
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
    void byDefault_onlyLoopbackReachesTheEmulators_andBoundToEveryAddress_othersDoToo() throws Exception {
        Optional<InetAddress> outward = outwardAddress();
        Assumptions.assumeTrue(outward.isPresent(), "this machine has no non-loopback IPv4 address to test from");
        try (LocalAws local = LocalAws.builder().start()) {
            for (URI endpoint : List.of(local.s3Endpoint(), local.dynamoDbEndpoint())) {
                assertThat(connects(InetAddress.getLoopbackAddress(), endpoint.getPort())).as(endpoint.toString()).isTrue();
                assertThat(connects(outward.get(), endpoint.getPort())).as(endpoint + " from " + outward.get()).isFalse();
            }
        }
        try (LocalAws local = LocalAws.builder().bindAddress("0.0.0.0").start()) {
            for (URI endpoint : List.of(local.s3Endpoint(), local.dynamoDbEndpoint())) {
                assertThat(connects(outward.get(), endpoint.getPort())).as(endpoint + " bound to 0.0.0.0").isTrue();
            }
            assertThat(local.s3().listBuckets().buckets()).isNotNull();
            assertThat(local.dynamoDb().listTables().tableNames()).isNotNull();
        }
    }

    @Test
    void aPersistentDataFolder_isItsOwnersAlone(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path data = dir.resolve("data");
        try (LocalAws local = LocalAws.builder().dataDirectory(data).start()) {
            assertThat(java.nio.file.Files.getPosixFilePermissions(data))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aBindAddressThatIsNoIpv4Address_isRefused() {
        assertThatThrownBy(() -> LocalAws.builder().bindAddress("localhost")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IPv4");
    }
}
