package io.ordercqrs.launcher;

import io.ordercqrs.localservers.DevIssuer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run issuer}: only the development token issuer, for the Docker Compose run. */
@Command(name = "issuer", mixinStandardHelpOptions = true,
        description = "Runs only the development token issuer, reachable by other containers. Never in production.")
final class IssuerOnly implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "9000")
    int port;

    @Option(names = "--issuer-uri", defaultValue = "http://issuer:9000",
            description = "The address the services reach it at, which becomes the tokens' iss (default: ${DEFAULT-VALUE}).")
    String issuerUri;

    @Option(names = "--key-file", defaultValue = "/data/issuer-key.json")
    Path keyFile;

    @Override
    public Integer call() throws InterruptedException {
        try (DevIssuer issuer = DevIssuer.startForContainers(keyFile, port, issuerUri)) {
            System.out.println("Development token issuer " + issuer.issuerUri() + " listening on port " + port);
            new CountDownLatch(1).await();
        }
        return 0;
    }
}
