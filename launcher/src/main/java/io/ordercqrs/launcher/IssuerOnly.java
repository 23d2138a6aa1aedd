package io.ordercqrs.launcher;

import io.ordercqrs.localservers.DevIssuer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code run issuer}: only the development token issuer, for the Docker Compose run. */
@Command(name = "issuer", mixinStandardHelpOptions = true,
        description = "Runs only the development token issuer, reachable by other containers. Never in production.")
final class IssuerOnly implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "9000")
    int port;

    @Option(names = "--issuer-uri", defaultValue = "http://issuer:9000",
            description = "The address the services reach it at, which becomes the tokens' iss (default: ${DEFAULT-VALUE}).")
    String issuerUri;

    @Option(names = "--key-file", defaultValue = "/data/issuer-key.json")
    Path keyFile;

    @Option(names = "--client", paramLabel = "ID:SECRET:ROLE",
            description = "A service that gets tokens with the client-credentials grant (repeatable).")
    List<String> clients = List.of();

    @Override
    public Integer call() throws InterruptedException {
        try (DevIssuer issuer = DevIssuer.startForContainers(keyFile, port, issuerUri)) {
            for (String client : clients) {
                String[] parts = client.split(":", 3);
                if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
                    throw new ParameterException(spec.commandLine(), "--client takes ID:SECRET:ROLE, not " + client);
                }
                issuer.registerClient(parts[0], parts[1], parts[2]);
            }
            System.out.println("Development token issuer " + issuer.issuerUri() + " listening on port " + port);
            new CountDownLatch(1).await();
        }
        return 0;
    }
}
