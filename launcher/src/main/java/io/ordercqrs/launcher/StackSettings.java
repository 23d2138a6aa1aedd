package io.ordercqrs.launcher;

import java.nio.file.Path;

/**
 * Where the stack keeps its data and which ports it listens on; 0 means any free port.
 *
 * @param home          the checkout, where the services' runnable jars are built
 * @param dataDirectory where PostgreSQL, Kafka, the MongoDB stand-in and the issuer key live between runs
 */
public record StackSettings(Path home, Path dataDirectory, int commandPort, int queryPort, int issuerPort, int postgresPort,
        int kafkaPort, int mongoPort) {

    /** A fresh stack in {@code dataDirectory} on free ports, with the services built under {@code home}. */
    public static StackSettings onFreePorts(Path home, Path dataDirectory) {
        return new StackSettings(home, dataDirectory, 0, 0, 0, 0, 0, 0);
    }

    Path commandJar() {
        return jar("order-command-service");
    }

    Path queryJar() {
        return jar("order-query-service");
    }

    private Path jar(String module) {
        Path target = home.resolve(module).resolve("target");
        try (var files = java.nio.file.Files.list(target)) {
            return files.filter(file -> file.getFileName().toString().startsWith(module + "-")
                            && file.getFileName().toString().endsWith("-exec.jar"))
                    .findFirst()
                    .orElse(target.resolve(module + "-exec.jar"));
        }
        catch (java.io.IOException missing) {
            return target.resolve(module + "-exec.jar");
        }
    }
}
