package io.ordercqrs.command.outbox;

import io.ordercqrs.events.wire.EventCodec;
import java.sql.DriverManager;
import java.util.Properties;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A relay alone in its own JVM, so a test can kill it like a crashed process.
 * Arguments: JDBC URL, user, password, Kafka bootstrap servers.
 */
public final class RelayMain {

    private RelayMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String password = args[2];
        Properties identity = new Properties();
        identity.setProperty("ApplicationName", "relay-child");
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url, user, password);
        dataSource.setConnectionProperties(identity);
        RelaySettings settings = RelayTestBed.settings();
        RecordSender sender = new RecordSender(RecordSender.producers(RelayTestBed.producerConfig(args[3])),
                new EventCodec(), "/relay-child", settings.maxRecordBytes());
        OutboxRelay relay = new OutboxRelay(new OutboxEntries(dataSource), () -> {
            Properties properties = new Properties();
            properties.setProperty("user", user);
            properties.setProperty("password", password);
            properties.setProperty("ApplicationName", "relay-child");
            return DriverManager.getConnection(url, properties);
        }, sender, () -> true, settings, null);
        relay.start();
        System.out.println("relay started");
        Thread.currentThread().join();
    }
}
