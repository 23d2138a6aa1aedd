package io.ordercqrs.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./run}: starts the whole stack on this machine, prints where everything is, and stops
 * it all on Ctrl-C.
 */
@Command(name = "run", mixinStandardHelpOptions = true, subcommands = IssuerOnly.class, description = {
        "Runs PostgreSQL, Kafka (KRaft), a MongoDB-compatible store, a development token issuer and both",
        "services on this machine, keeping their data in a local folder between runs. Ctrl-C stops everything."})
public final class Launcher implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = ".ordercqrs", description = "Where data is kept between runs (default: ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(names = "--home", defaultValue = ".", description = "The checkout holding the built services (default: the current folder).")
    Path home;

    @Option(names = "--demo-data", description = "Loads demo customers and orders in every state (once per data folder).")
    boolean demoData;

    @Option(names = "--command-port", defaultValue = "8081", description = "Port of the command API (default: ${DEFAULT-VALUE}).")
    int commandPort;

    @Option(names = "--query-port", defaultValue = "8082", description = "Port of the query API (default: ${DEFAULT-VALUE}).")
    int queryPort;

    @Option(names = "--issuer-port", defaultValue = "9000", description = "Port of the development token issuer (default: ${DEFAULT-VALUE}).")
    int issuerPort;

    @Option(names = "--postgres-port", defaultValue = "15432", description = "Port of PostgreSQL (default: ${DEFAULT-VALUE}).")
    int postgresPort;

    @Option(names = "--kafka-port", defaultValue = "19092", description = "Port of the Kafka broker (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--mongo-port", defaultValue = "27018", description = "Port of the MongoDB-compatible store (default: ${DEFAULT-VALUE}).")
    int mongoPort;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Launcher()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        System.out.println("Starting PostgreSQL, Kafka, the MongoDB stand-in, the token issuer and both services...");
        Stack stack = Stack.start(settings());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping...");
            stack.close();
            System.out.println("Stopped. Data kept in " + dataDirectory.toAbsolutePath());
            stopped.countDown();
        }, "stack-shutdown"));
        if (demoData) {
            System.out.println(new DemoData(stack).loadOnce(dataDirectory));
        }
        System.out.println(banner(stack, Duration.ofNanos(System.nanoTime() - started)));
        stopped.await();
        return 0;
    }

    StackSettings settings() {
        return new StackSettings(home.toAbsolutePath().normalize(), dataDirectory, commandPort, queryPort, issuerPort,
                postgresPort, kafkaPort, mongoPort);
    }

    static String banner(Stack stack, Duration took) {
        String issuer = stack.issuer().issuerUri();
        return """

                Ready in %.1f s.
                  Command API   %s   (docs: %s/swagger-ui.html)
                  Query API     %s   (docs: %s/swagger-ui.html)
                  Token issuer  %s
                Get a token (subject = your customer id, or any name for ops):
                  curl -s -d subject=ops -d role=ops %s/token
                  curl -s -d subject=<customer-uuid> -d role=customer %s/token
                Logs: %s
                Press Ctrl-C to stop everything.
                """.formatted(took.toMillis() / 1000.0, stack.commandUrl(), stack.commandUrl(), stack.queryUrl(),
                stack.queryUrl(), issuer, issuer, issuer, stack.logs().get(0).getParent());
    }
}
