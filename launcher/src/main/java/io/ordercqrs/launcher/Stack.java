package io.ordercqrs.launcher;

import io.ordercqrs.localservers.DevIssuer;
import io.ordercqrs.localservers.FreePorts;
import io.ordercqrs.localservers.KafkaBroker;
import io.ordercqrs.localservers.LocalMongo;
import io.ordercqrs.localservers.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole stack on this machine: PostgreSQL, a Kafka broker in KRaft mode, the MongoDB
 * stand-in, the development token issuer and both services as child JVMs, configured with the
 * same keys as the Docker Compose and Kubernetes runs. Closing it stops everything, services first.
 */
public final class Stack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Stack.class);
    private static final String DATABASE = "ordercqrs";

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private DevIssuer issuer;
    private String mongoUri;
    private String kafkaBootstrapServers;
    private ServiceProcess command;
    private ServiceProcess query;
    private StackSettings settings;
    private Map<String, String> queryEnvironment;
    private Path logs;

    private Stack() {
    }

    /** Starts everything and waits until both services are healthy. */
    public static Stack start(StackSettings settings) throws Exception {
        Stack stack = new Stack();
        try {
            stack.startAll(settings);
            return stack;
        }
        catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(StackSettings settings) throws Exception {
        this.settings = settings;
        var data = settings.dataDirectory().toAbsolutePath();
        logs = data.resolve("logs");
        Files.createDirectories(data);
        KafkaBroker kafka = KafkaBroker.create(data.resolve("kafka"), settings.kafkaPort(), Map.of());
        CompletableFuture<KafkaBroker> kafkaStarted = CompletableFuture.supplyAsync(kafka::start);
        running.push(kafka);
        LocalPostgres postgres = LocalPostgres.start(data.resolve("postgres"), settings.postgresPort());
        running.push(postgres);
        postgres.createDatabase(DATABASE);
        LocalMongo mongo = LocalMongo.start(data.resolve("mongo.h2"), settings.mongoPort());
        running.push(mongo);
        issuer = DevIssuer.start(data.resolve("issuer-key.json"), settings.issuerPort());
        running.push(issuer);
        kafkaStarted.join();

        Map<String, String> shared = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "OAUTH2_ISSUER_URI", issuer.issuerUri());
        Map<String, String> commandEnvironment = new HashMap<>(shared);
        commandEnvironment.put("DATABASE_URL", postgres.jdbcUrl(DATABASE));
        commandEnvironment.put("DATABASE_USER", LocalPostgres.USER);
        commandEnvironment.put("DATABASE_PASSWORD", LocalPostgres.PASSWORD);
        queryEnvironment = new HashMap<>(shared);
        mongoUri = mongo.uri(DATABASE);
        kafkaBootstrapServers = kafka.bootstrapServers();
        queryEnvironment.put("MONGODB_URI", mongoUri);
        int commandPort = port(settings.commandPort());
        queryEnvironment.put("COMMAND_SERVICE_URL", "http://localhost:" + commandPort);

        command = ServiceProcess.start("order-command-service", settings.commandJar(), commandPort, commandEnvironment,
                logs);
        running.push(command);
        query = ServiceProcess.start("order-query-service", settings.queryJar(), port(settings.queryPort()),
                queryEnvironment, logs);
        running.push(query);
        command.awaitHealthy(Duration.ofMinutes(3));
        query.awaitHealthy(Duration.ofMinutes(3));
    }

    /**
     * Starts one more query-service instance beside the first, as another replica behind a load
     * balancer would run: same store, same consumer groups. It stops with the stack.
     */
    ServiceProcess startQueryReplica(String name) throws Exception {
        ServiceProcess replica = ServiceProcess.start(name, settings.queryJar(), port(0), queryEnvironment, logs);
        running.push(replica);
        replica.awaitHealthy(Duration.ofMinutes(3));
        return replica;
    }

    private static int port(int configured) {
        return FreePorts.orNext(configured);
    }

    public String commandUrl() {
        return command.url();
    }

    public String queryUrl() {
        return query.url();
    }

    public String mongoUri() {
        return mongoUri;
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrapServers;
    }

    public DevIssuer issuer() {
        return issuer;
    }

    public List<ProcessHandle> serviceProcesses() {
        return List.of(command.handle(), query.handle());
    }

    public List<Path> logs() {
        return List.of(command.log(), query.log());
    }

    @Override
    public void close() {
        while (!running.isEmpty()) {
            AutoCloseable next = running.pop();
            try {
                next.close();
            }
            catch (Exception e) {
                log.warn("Could not stop {} cleanly", next, e);
            }
        }
    }
}
