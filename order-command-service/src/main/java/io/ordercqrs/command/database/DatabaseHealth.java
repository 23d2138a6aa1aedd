package io.ordercqrs.command.database;

import io.ordercqrs.service.health.BoundedHealthCheck;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * PostgreSQL at {@code /actuator/health/db}, answered within a second even while the database
 * stalls (Spring Boot's own check, switched off, waits as long as the database does).
 */
@Configuration(proxyBeanMethods = false)
class DatabaseHealth {

    @Bean("db")
    BoundedHealthCheck databaseHealthIndicator(DataSource dataSource) {
        return new BoundedHealthCheck("PostgreSQL", () -> check(dataSource), Duration.ofSeconds(1),
                Duration.ofMillis(500));
    }

    private static Health check(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1) ? Health.up().withDetail("database", "PostgreSQL").build()
                    : Health.down().withDetail("error", "PostgreSQL did not answer a validation query").build();
        }
        catch (SQLException e) {
            return Health.down().withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }
}
