package io.ordercqrs.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.testsupport.RealServersInitializer;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.context.ContextConfiguration;

@SpringBootTest
@ContextConfiguration(initializers = RealServersInitializer.class)
class OrderCommandServiceApplicationTests {

    @Autowired
    Flyway flyway;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    KafkaAdmin kafkaAdmin;

    @Test
    void bootsAgainstRealPostgresAndKafka() throws Exception {
        assertThat(flyway.info().applied()).isNotEmpty();
        assertThat(jdbc.queryForObject("select count(*) from customers", Long.class)).isNotNull();
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).isNotEmpty();
        }
    }
}
