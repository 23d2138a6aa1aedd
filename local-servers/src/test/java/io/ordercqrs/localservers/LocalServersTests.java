package io.ordercqrs.localservers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalServersTests {

    @TempDir
    Path directory;

    @Test
    void kafkaKeepsItsTopicsAcrossARestartOnTheSamePort() throws Exception {
        try (KafkaBroker broker = KafkaBroker.create(directory.resolve("kafka"), 0, Map.of()).start()) {
            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic("kept", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.start();

            try (Admin admin = admin(broker)) {
                Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertThat(topics).contains("kept");
            }
        }
    }

    @Test
    void postgresKeepsItsDataInTheGivenDirectory() throws Exception {
        Path data = directory.resolve("pg");
        try (LocalPostgres postgres = LocalPostgres.start(data, 0)) {
            postgres.createDatabase("kept");
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("kept"), "postgres", "postgres")) {
                c.createStatement().execute("create table t (v int); insert into t values (17)");
            }
        }
        try (LocalPostgres postgres = LocalPostgres.start(data, 0);
                Connection c = DriverManager.getConnection(postgres.jdbcUrl("kept"), "postgres", "postgres")) {
            ResultSet rows = c.createStatement().executeQuery("select v from t");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(17);
        }
    }

    private static Admin admin(KafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }
}
