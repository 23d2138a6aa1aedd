package io.ordercqrs.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.TestTokens;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.core.KafkaAdmin;

@QueryServiceTest
class OrderQueryServiceApplicationTests {

    @Autowired
    MongoTemplate mongo;

    @Autowired
    KafkaAdmin kafkaAdmin;

    @LocalServerPort
    int port;

    @Test
    void bootsAgainstRealKafkaAndTheMongoDbStandIn() throws Exception {
        Document ping = mongo.executeCommand(new Document("ping", 1));
        assertThat(ping.get("ok")).isIn(1, 1.0);
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).isNotEmpty();
        }
    }

    @Test
    void reportsItselfHealthyWithMongoDbAndKafkaUp() {
        ApiClient api = new ApiClient(port);

        ApiClient.Response anonymous = api.get(null, "/actuator/health");
        ApiClient.Response ops = api.get(TestTokens.ops(), "/actuator/health");

        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.text("/status")).isEqualTo("UP");
        assertThat(ops.text("/components/mongo/status")).isEqualTo("UP");
    }
}
