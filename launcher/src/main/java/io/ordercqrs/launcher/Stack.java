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
import java.util.UUID;
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
    /** The query service's client id at the issuer. */
    private static final String QUERY_CLIENT = "order-query-service";

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private DevIssuer issuer;
    private String mongoUri;
    private String jdbcUrl;
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
        return start(settings, true);
    }

    /**
     * Starts the write side alone: PostgreSQL, Kafka, the issuer and the command service with its
     * relay, for measuring it without the read side sharing the machine.
     */
    public static Stack startCommandSide(StackSettings settings) throws Exception {
        return start(settings, false);
    }

    private static Stack start(StackSettings settings, boolean querySide) throws Exception {
        Stack stack = new Stack();
        try {
            stack.startAll(settings, querySide);
            return stack;
        }
        catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(StackSettings settings, boolean querySide) throws Exception {
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
        kafkaBootstrapServers = kafka.bootstrapServers();
        jdbcUrl = postgres.jdbcUrl(DATABASE);
        int commandPort = port(settings.commandPort());
        command = ServiceProcess.start("order-command-service", settings.commandJar(), commandPort, commandEnvironment,
                logs);
        running.push(command);
        if (querySide) {
            LocalMongo mongo = LocalMongo.start(data.resolve("mongo.h2"), settings.mongoPort());
            running.push(mongo);
            mongoUri = mongo.uri(DATABASE);
            queryEnvironment = new HashMap<>(shared);
            queryEnvironment.put("MONGODB_URI", mongoUri);
            queryEnvironment.put("COMMAND_SERVICE_URL", "http://localhost:" + commandPort);
            // The query service's own client, so any instance can go on with a rebuild's history read.
            String clientSecret = UUID.randomUUID().toString();
            issuer.registerClient(QUERY_CLIENT, clientSecret, "history-reader");
            queryEnvironment.put("COMMAND_SERVICE_CLIENT_ID", QUERY_CLIENT);
            queryEnvironment.put("COMMAND_SERVICE_CLIENT_SECRET", clientSecret);
            queryEnvironment.put("COMMAND_SERVICE_TOKEN_URI", issuer.issuerUri() + "/token");
            query = ServiceProcess.start("order-query-service", settings.queryJar(), port(settings.queryPort()),
                    queryEnvironment, logs);
            running.push(query);
        }
        command.awaitHealthy(Duration.ofMinutes(3));
        if (querySide) {
            query.awaitHealthy(Duration.ofMinutes(3));
        }
    }

    /**
     * Starts one more query-service instance beside the first, as another replica behind a load
     * balancer would run: same store, same consumer groups. It stops with the stack.
     */
    ServiceProcess startQueryReplica(String name) throws Exception {
        return startQueryReplica(name, Map.of());
    }

    /** As {@link #startQueryReplica(String)}, with some settings of its own. */
    ServiceProcess startQueryReplica(String name, Map<String, String> settings) throws Exception {
        Map<String, String> environment = new HashMap<>(queryEnvironment);
        environment.putAll(settings);
        ServiceProcess replica = ServiceProcess.start(name, this.settings.queryJar(), port(0), environment, logs);
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

    /** The command side's database (user and password {@code postgres}). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The command service's process, say to profile it. */
    public ProcessHandle commandProcess() {
        return command.handle();
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrapServers;
    }

    public DevIssuer issuer() {
        return issuer;
    }

    /** The (first) query service's process. */
    ProcessHandle queryProcess() {
        return query.handle();
    }

    public List<ProcessHandle> serviceProcesses() {
        return query == null ? List.of(command.handle()) : List.of(command.handle(), query.handle());
    }

    public List<Path> logs() {
        return query == null ? List.of(command.log()) : List.of(command.log(), query.log());
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
