package io.ordercqrs.localservers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts a server of the stack in a session of its own, so that on one machine each server gets a
 * fair share of the CPU, as each pod gets its CPU request in Kubernetes.
 *
 * <p>Linux's scheduler (with autogroup, on by default) shares the CPU equally between sessions
 * first, then between the threads of each. PostgreSQL starts every backend in a session of its
 * own; the services, started in the launcher's session, shared one share between all their threads.
 * Under a load that takes every core, the command service's request threads then crowded out the
 * query service's few projection threads, and the views fell further behind for as long as the
 * load lasted. In a session each, the projection gets its share and the views keep up (see
 * docs/OPERATIONS.md, "One machine"). Where {@code setsid} is not installed (not Linux) the command
 * is run as it is.
 */
public final class OwnSession {

    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private OwnSession() {
    }

    /** {@code command}, run by {@code setsid} where it is installed (it replaces itself by the command, same pid). */
    public static List<String> command(List<String> command) {
        Optional<Path> setsid = SETSID.stream().filter(Files::isExecutable).findFirst();
        if (setsid.isEmpty()) {
            return command;
        }
        List<String> inSession = new ArrayList<>(command.size() + 1);
        inSession.add(setsid.get().toString());
        inSession.addAll(command);
        return inSession;
    }
}
