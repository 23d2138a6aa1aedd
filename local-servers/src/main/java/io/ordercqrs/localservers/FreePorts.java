package io.ordercqrs.localservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds ports nobody listens on yet. */
public final class FreePorts {

    private FreePorts() {
    }

    /** A currently free TCP port on the loopback interface. */
    public static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        }
    }

    /** The given port, or a free one when it is 0. */
    public static int orNext(int port) {
        return port == 0 ? next() : port;
    }
}
