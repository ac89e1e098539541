package io.reel.bench.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A small blocking HTTP/1.1 client for one virtual user: a keep-alive connection per host and port, plain text only,
 * {@code Content-Length} and chunked bodies. It exists because the load generator shares the server's two cores, and
 * {@link java.net.http.HttpClient} spent about 1 ms of CPU per request (a third of a core at 400 requests/s): every
 * core-millisecond the generator takes is one the server under test does not get. This one spends a tenth of that.
 *
 * <p>A request that fails on a reused connection before any byte of the answer arrived (the server closed an idle
 * connection, as keep-alive allows) is sent once more on a new one; any other failure is the caller's error.
 */
final class Http1 implements AutoCloseable {
    /** An answer: its status and whole body. */
    record Response(int status, byte[] body) {
    }

    private final Duration timeout;
    private final Map<String, Connection> connections = new HashMap<>();

    Http1(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Sends one request and reads the whole answer.
     *
     * @param headers name, value, name, value…
     */
    Response send(String method, URI uri, byte[] body, String... headers) throws IOException {
        if (!"http".equals(uri.getScheme())) {
            throw new IOException("only http:// URLs: " + uri);
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String key = uri.getHost() + ":" + port;
        byte[] request = request(method, uri, key, body, headers);
        Connection connection = connections.get(key);
        if (connection != null) {
            try {
                Response response = connection.exchange(request, method);
                if (!connection.reusable) {
                    connection.close();
                    connections.remove(key);
                }
                return response;
            } catch (Connection.NothingReceived e) {
                connection.close();
                connections.remove(key);
            } catch (IOException | RuntimeException e) {
                connection.close();
                connections.remove(key);
                throw e;
            }
        }
        connection = new Connection(uri.getHost(), port, timeout);
        try {
            Response response = connection.exchange(request, method);
            if (connection.reusable) {
                connections.put(key, connection);
            } else {
                connection.close();
            }
            return response;
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static byte[] request(String method, URI uri, String hostPort, byte[] body, String... headers) {
        StringBuilder head = new StringBuilder(256).append(method).append(' ')
                .append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            head.append('?').append(uri.getRawQuery());
        }
        head.append(" HTTP/1.1\r\nHost: ").append(hostPort).append("\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null || body.length == 0) {
            return start;
        }
        byte[] all = new byte[start.length + body.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(body, 0, all, start.length, body.length);
        return all;
    }

    @Override
    public void close() {
        connections.values().forEach(Connection::close);
        connections.clear();
    }

    private static final class Connection {
        /** The server closed the connection before answering: safe to send again on a new one. */
        static final class NothingReceived extends IOException {
            NothingReceived(String message) {
                super(message, null);
            }
        }

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private boolean reusable = true;
        private final StringBuilder line = new StringBuilder(128);

        Connection(String host, int port, Duration timeout) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) timeout.toMillis());
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            in = new BufferedInputStream(socket.getInputStream(), 16_384);
            out = socket.getOutputStream();
        }

        Response exchange(byte[] request, String method) throws IOException {
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                throw new NothingReceived("send failed: " + e.getMessage());
            }
            int first = in.read();
            if (first < 0) {
                throw new NothingReceived("the server closed the connection");
            }
            line.setLength(0);
            line.append((char) first);
            String statusLine = readLine();
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new IOException("not an HTTP/1.x status line: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String header = readLine(); !header.isEmpty(); header = readLine()) {
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> reusable &= !value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            byte[] body;
            if (method.equals("HEAD") || status == 204 || status == 304 || (status >= 100 && status < 200)) {
                body = new byte[0];
            } else if (chunked) {
                body = readChunked();
            } else if (length >= 0) {
                body = in.readNBytes((int) length);
                if (body.length < length) {
                    throw new EOFException("the body ended after " + body.length + " of " + length + " bytes");
                }
            } else {
                body = in.readAllBytes(); // no length: the body ends with the connection
                reusable = false;
            }
            return new Response(status, body);
        }

        private byte[] readChunked() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = readLine();
                int semicolon = size.indexOf(';');
                int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (n == 0) {
                    while (!readLine().isEmpty()) {
                        // trailers, ignored
                    }
                    return body.toByteArray();
                }
                byte[] chunk = in.readNBytes(n);
                if (chunk.length < n) {
                    throw new EOFException("a chunk ended early");
                }
                body.write(chunk);
                readLine();
            }
        }

        /** One header line without its CRLF, appended to what {@link #line} already holds. */
        private String readLine() throws IOException {
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new EOFException("the connection closed mid-answer");
                }
                if (c == '\n') {
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        end--;
                    }
                    String result = line.substring(0, end);
                    line.setLength(0);
                    return result;
                }
                if (line.length() > 65_536) {
                    throw new IOException("a header line over 64 KiB");
                }
                line.append((char) c);
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
