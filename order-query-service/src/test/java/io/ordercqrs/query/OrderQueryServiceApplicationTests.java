package io.ordercqrs.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.testsupport.RealServersInitializer;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.context.ContextConfiguration;

@SpringBootTest
@ContextConfiguration(initializers = RealServersInitializer.class)
class OrderQueryServiceApplicationTests {

    @Autowired
    MongoTemplate mongo;

    @Autowired
    KafkaAdmin kafkaAdmin;

    @Test
    void bootsAgainstRealKafkaAndTheMongoDbStandIn() throws Exception {
        Document ping = mongo.executeCommand(new Document("ping", 1));
        assertThat(ping.get("ok")).isIn(1, 1.0);
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).isNotEmpty();
        }
    }
}
