package io.ordercqrs.launcher;

import io.ordercqrs.localservers.OwnSession;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One service running as a child JVM from its runnable jar, its output in a log file. */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code jar} with {@code environment} on {@code port}; returns at once. */
    static ServiceProcess start(String name, Path jar, int port, Map<String, String> environment, Path logDirectory)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No runnable jar for " + name + " at " + jar
                    + "; build it first: ./mvnw -B install -DskipTests");
        }
        Files.createDirectories(logDirectory);
        Path log = logDirectory.resolve(name + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        // The parallel collector, as the container image uses: see docs/OPERATIONS.md, "JVM".
        List<String> command = new ArrayList<>(List.of(java, "-Xss512k", "-XX:+UseParallelGC", "-jar",
                jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(OwnSession.command(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("PORT", Integer.toString(port));
        return new ServiceProcess(name, port, log, builder.start());
    }

    /** Waits until the service reports itself healthy, or fails with where to look. */
    void awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            }
            catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " did not become healthy within " + timeout.toSeconds() + " s; see "
                + log);
    }

    String url() {
        return "http://localhost:" + port;
    }

    Path log() {
        return log;
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Asks the service to shut down gracefully, and ends it if it does not within 20 seconds. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
