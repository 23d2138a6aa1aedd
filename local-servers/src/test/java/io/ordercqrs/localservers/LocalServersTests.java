package io.ordercqrs.localservers;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"in memory", "in a file"})
    void answersConditionalUpdatesByIdAndMoreAsMongoDbDoes(String kind) {
        Path file = kind.equals("in a file") ? directory.resolve("mongo.h2") : null;
        try (LocalMongo mongo = LocalMongo.start(file, 0);
                MongoClient client = MongoClients.create(mongo.uri("test"))) {
            MongoCollection<Document> views = client.getDatabase("test").getCollection("views");
            views.insertMany(List.of(new Document("_id", "a").append("revision", 1L),
                    new Document("_id", "b").append("revision", 1L)));

            long stale = views.updateOne(new Document("_id", "a").append("revision", 0L),
                    Updates.inc("revision", 1)).getMatchedCount();
            long current = views.updateOne(new Document("_id", "a").append("revision", 1L),
                    Updates.inc("revision", 1)).getMatchedCount();
            long viaAnd = views.updateOne(Filters.and(Filters.eq("_id", "b"), Filters.eq("revision", 1L)),
                    Updates.inc("revision", 1)).getMatchedCount();
            long missing = views.updateOne(new Document("_id", "c").append("revision", 1L),
                    Updates.inc("revision", 1)).getMatchedCount();

            assertThat(stale).as("a guard that no longer holds matches nothing").isZero();
            assertThat(current).isOne();
            assertThat(viaAnd).isOne();
            assertThat(missing).isZero();
            assertThat(views.find(new Document("_id", "a")).first().getLong("revision")).isEqualTo(2L);
            assertThat(views.find(new Document("revision", 2L)).into(new ArrayList<>()))
                    .hasSize(2);
        }
    }

    private static Admin admin(KafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }
}
