package dev.parley.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder on a free local port, to stand between a service instance and PostgreSQL and
 * play an outage without touching the shared server: {@link #cut()} drops every open connection
 * and refuses new ones (connection refused, as a stopped server does), {@link #resume()} listens
 * again on the same port. {@link #stall()} plays a database that hangs instead (a stalled network):
 * connections are still accepted, but no byte goes through either way until {@link #unstall()}.
 * Plain blocking sockets, two threads per connection. The listening port is free one of the range in
 * the system property {@code parley.test.proxy-ports} ("18700-18799"), or any free port without it.
 */
public final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile ServerSocket listener;
    private volatile boolean closed;
    private final Object gate = new Object();
    private volatile boolean stalled;

    private TcpProxy(InetSocketAddress target) {
        this.target = target;
        this.listener = listenInRange();
        this.port = listener.getLocalPort();
        acceptLoop(listener);
    }

    /** Starts forwarding from 127.0.0.1:{@link #port()} to {@code host:targetPort}. */
    public static TcpProxy start(String host, int targetPort) {
        return new TcpProxy(new InetSocketAddress(host, targetPort));
    }

    public int port() {
        return port;
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Drops every open connection and stops listening: new connections are refused. */
    public synchronized void cut() {
        closeQuietly(listener);
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    /** Keeps accepting connections but forwards nothing, either way, until {@link #unstall()}. */
    public void stall() {
        stalled = true;
    }

    /** Forwards again, including what was held while stalled. */
    public void unstall() {
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
    }

    /** Listens again on the same port. */
    public synchronized void resume() {
        if (!listener.isClosed()) {
            return;
        }
        listener = listen(port);
        acceptLoop(listener);
    }

    @Override
    public synchronized void close() {
        closed = true;
        unstall();
        cut();
    }

    private static ServerSocket listenInRange() {
        String range = System.getProperty("parley.test.proxy-ports", "");
        if (!range.matches("\\d+-\\d+")) {
            return listen(0);
        }
        int from = Integer.parseInt(range.substring(0, range.indexOf('-')));
        int to = Integer.parseInt(range.substring(range.indexOf('-') + 1));
        for (int port = from; port <= to; port++) {
            try {
                return listen(port);
            } catch (UncheckedIOException taken) {
                // Try the next port of the range.
            }
        }
        throw new IllegalStateException("no free port in " + range);
    }

    private static ServerSocket listen(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
    }

    private void acceptLoop(ServerSocket server) {
        Thread thread = new Thread(() -> {
            while (!closed && !server.isClosed()) {
                try {
                    Socket client = server.accept();
                    accepted.incrementAndGet();
                    connect(server, client);
                } catch (IOException e) {
                    // The listener was closed by cut() or close(): stop accepting.
                }
            }
        }, "tcp-proxy-accept-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    private void connect(ServerSocket server, Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(target, 5_000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        synchronized (this) {
            if (server.isClosed()) {   // cut() ran while this one was being connected
                closeQuietly(client);
                closeQuietly(upstream);
                return;
            }
            open.add(client);
            open.add(upstream);
        }
        pump(client, upstream);
        pump(upstream, client);
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    awaitForwarding();
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (SocketException e) {
                // Closed by cut() or by the other side.
            } catch (IOException e) {
                // Same: the connection is over either way.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-pump-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    /** Holds a read chunk while the proxy is stalled. */
    private void awaitForwarding() throws IOException {
        synchronized (gate) {
            while (stalled && !closed) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while stalled", e);
                }
            }
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Closing is best effort: the point is that the connection is gone.
        }
    }
}
