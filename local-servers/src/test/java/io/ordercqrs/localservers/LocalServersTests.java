package io.ordercqrs.localservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.bson.Document;
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

    @Test
    void findsAndRefusesByIdInAFileWhoseIndexesAnEarlierVersionWrote() {
        Path file = directory.resolve("mongo.h2");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        // The stand-in's file backend as it comes, which wrote the data of earlier versions.
        MongoServer earlier = new MongoServer(new H2Backend(file.toString()));
        InetSocketAddress address = earlier.bind();
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort())) {
            client.getDatabase("test").getCollection("views").insertMany(ids.subList(0, 400).stream()
                    .map(id -> new Document("_id", id)).toList());
        }
        earlier.shutdownNow();

        for (int run = 1; run <= 2; run++) {
            try (LocalMongo mongo = LocalMongo.start(file, 0);
                    MongoClient client = MongoClients.create(mongo.uri("test"))) {
                MongoCollection<Document> views = client.getDatabase("test").getCollection("views");
                if (run == 1) {
                    views.insertMany(ids.subList(400, 500).stream().map(id -> new Document("_id", id)).toList());
                }

                assertThat(mongo.fileStore().openMap(LocalMongo.indexMapName("test.views", "_id_")).getKeyType())
                        .as("the index the stand-in opened").isInstanceOf(SerializedKeyOrder.class);
                for (String id : ids) {
                    assertThat(views.find(Filters.eq("_id", id)).first()).as("run %d, %s", run, id).isNotNull();
                }
                assertThat(views.find(Filters.eq("_id", "absent")).first()).isNull();
                assertThatThrownBy(() -> views.insertOne(new Document("_id", ids.get(7))))
                        .isInstanceOfSatisfying(MongoWriteException.class,
                                refused -> assertThat(refused.getCode()).isEqualTo(11000));
                assertThat(views.countDocuments()).isEqualTo(500);
            }
        }
    }

    private static Admin admin(KafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }
}
