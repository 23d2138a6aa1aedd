package io.ordercqrs.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaAdmin;

@CommandServiceTest
class OrderCommandServiceApplicationTests {

    @Autowired
    Flyway flyway;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    KafkaAdmin kafkaAdmin;

    @Test
    void bootsAgainstRealPostgresAndKafka() throws Exception {
        assertThat(flyway.info().applied()).extracting(migration -> migration.getVersion().getVersion())
                .contains("1", "2", "3", "4");
        assertThat(jdbc.queryForObject("select count(*) from outbox_positions", Long.class)).isEqualTo(64);
        assertThat(jdbc.queryForObject("select count(*) from outbox where id < 0", Long.class))
                .isZero();
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).isNotEmpty();
        }
    }
}
