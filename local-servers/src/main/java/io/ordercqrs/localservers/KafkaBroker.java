package io.ordercqrs.localservers;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller), running in a child
 * JVM so it can be stopped and started again on the same port and log directory, like a broker
 * that goes down and comes back. The child exits when this JVM does.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path directory;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private Process process;
    private OutputStream lifeline;

    private KafkaBroker(Path directory, int port, int controllerPort, Map<String, String> overrides) {
        this.directory = directory;
        this.port = port;
        this.controllerPort = controllerPort;
        this.overrides = Map.copyOf(overrides);
    }

    /**
     * Describes a broker; nothing runs until {@link #start()}.
     *
     * @param directory holds the broker's configuration, log directory and its output ({@code broker.log})
     * @param port      the client port, or 0 for any free one (kept across restarts)
     * @param overrides broker settings that replace the defaults
     */
    public static KafkaBroker create(Path directory, int port, Map<String, String> overrides) {
        return new KafkaBroker(directory.toAbsolutePath(), FreePorts.orNext(port), FreePorts.next(), overrides);
    }

    /** Starts the broker unless it runs, and waits until it answers clients. */
    public synchronized KafkaBroker start() {
        if (isRunning()) {
            return this;
        }
        try {
            Files.createDirectories(directory);
            Path config = writeConfig();
            Path logback = writeLogbackConfig();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-Djava.awt.headless=true",
                    "-Dlogback.configurationFile=" + logback,
                    "-cp", classpath(),
                    KafkaBrokerMain.class.getName(), config.toString()));
            process = new ProcessBuilder(OwnSession.command(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("broker.log").toFile()))
                    .start();
            lifeline = process.getOutputStream();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not launch the Kafka broker", e);
        }
        awaitReady();
        return this;
    }

    /** Shuts the broker down cleanly, as an operator would. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
        closeLifeline();
    }

    /** Kills the broker without warning, as a crash would. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        closeLifeline();
    }

    /** The broker's process id, to pause it like a stalled machine ({@code kill -STOP}). */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("The broker is not running");
        }
        return process.pid();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** {@code host:port} for clients. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Where the broker's output goes. */
    public Path logFile() {
        return directory.resolve("broker.log");
    }

    @Override
    public void close() {
        stop();
    }

    /** This JVM's class path, also when a launcher (such as Maven's exec:java) loaded the classes itself. */
    private static String classpath() {
        List<String> entries = new ArrayList<>();
        for (ClassLoader loader = KafkaBroker.class.getClassLoader(); loader != null; loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    }
                    catch (URISyntaxException | IllegalArgumentException ignored) {
                        // not a file: nothing a child JVM could load
                    }
                }
            }
        }
        entries.add(System.getProperty("java.class.path"));
        return String.join(File.pathSeparator, entries);
    }

    private Path writeConfig() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("process.roles", "broker,controller");
        settings.put("node.id", "1");
        settings.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        settings.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        settings.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        settings.put("controller.listener.names", "CONTROLLER");
        settings.put("inter.broker.listener.name", "PLAINTEXT");
        settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        settings.put("log.dirs", directory.resolve("data").toString());
        settings.put("num.partitions", "1");
        settings.put("auto.create.topics.enable", "false");
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("offsets.topic.num.partitions", "4");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("transaction.state.log.num.partitions", "4");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        settings.putAll(overrides);
        Properties properties = new Properties();
        properties.putAll(settings);
        Path config = directory.resolve("server.properties");
        try (var out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            properties.store(out, "Written by " + KafkaBroker.class.getName());
        }
        return config;
    }

    private Path writeLogbackConfig() throws IOException {
        Path logback = directory.resolve("logback-broker.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{30} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
                  <root level="WARN"><appender-ref ref="out"/></root>
                </configuration>
                """);
        return logback;
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!portOpen()) {
            failIfDeadOrLate(deadline);
            sleep(100);
        }
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                }
                catch (Exception notYet) {
                    failIfDeadOrLate(deadline);
                    sleep(200);
                }
            }
        }
    }

    private boolean portOpen() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    private void failIfDeadOrLate(Instant deadline) {
        if (!process.isAlive() || Instant.now().isAfter(deadline)) {
            String reason = process.isAlive() ? "did not answer within " + START_TIMEOUT.toSeconds() + " s"
                    : "exited with " + process.exitValue();
            kill();
            throw new IllegalStateException("Kafka broker " + reason + "; see " + logFile() + ":\n" + tailOfLog());
        }
    }

    private String tailOfLog() {
        try {
            List<String> lines = Files.readAllLines(logFile());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        }
        catch (IOException e) {
            return "(no log)";
        }
    }

    private void closeLifeline() {
        try {
            if (lifeline != null) {
                lifeline.close();
            }
        }
        catch (IOException ignored) {
            // the child is gone already
        }
        lifeline = null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka", e);
        }
    }
}
