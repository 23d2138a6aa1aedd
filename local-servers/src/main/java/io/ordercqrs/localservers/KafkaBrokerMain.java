package io.ordercqrs.localservers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * Entry point of the broker's child JVM: formats the log directory on first start, runs the broker,
 * and exits when the parent JVM goes away (its standard input closes).
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws IOException {
        Path config = Path.of(args[0]);
        exitWhenParentDies();
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(config)) {
            properties.load(in);
        }
        Path logDirectory = Path.of(properties.getProperty("log.dirs"));
        if (!Files.exists(logDirectory.resolve("meta.properties"))) {
            int exitCode = kafka.tools.StorageTool.execute(new String[] {"format", "--cluster-id",
                    Uuid.randomUuid().toString(), "--config", config.toString()}, System.out);
            if (exitCode != 0) {
                System.exit(exitCode);
            }
        }
        kafka.Kafka.main(new String[] {config.toString()});
    }

    private static void exitWhenParentDies() {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // the parent never writes; end of stream means it is gone
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            finally {
                System.exit(0);
            }
        }, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}
