package io.ordercqrs.command.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.ordercqrs.events.wire.EventCodec;
import java.sql.DriverManager;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import io.ordercqrs.service.kafka.EventTopicSetup;
import org.springframework.kafka.core.ProducerFactory;

/** Wires the outbox: its table access, and the relay unless it is switched off. */
@Configuration(proxyBeanMethods = false)
class OutboxConfiguration {

    @Bean
    OutboxEntries outboxEntries(DataSource dataSource) {
        return new OutboxEntries(dataSource);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "ordercqrs.outbox.relay.enabled", matchIfMissing = true)
    OutboxRelay outboxRelay(OutboxEntries entries, DataSourceProperties dataSource,
            ProducerFactory<String, byte[]> producers, EventCodec codec, OutboxSettings outbox, EventTopicSetup topics,
            RelaySettings settings, ObjectProvider<MeterRegistry> meters) {
        RecordSender sender = new RecordSender(RecordSender.producers(producers.getConfigurationProperties()), codec,
                outbox.source(), settings.maxRecordBytes());
        return new OutboxRelay(entries, () -> dedicatedConnection(dataSource), sender, topics::ensure, settings,
                meters.getIfAvailable());
    }

    private static java.sql.Connection dedicatedConnection(DataSourceProperties dataSource)
            throws java.sql.SQLException {
        Properties properties = new Properties();
        if (dataSource.determineUsername() != null) {
            properties.setProperty("user", dataSource.determineUsername());
        }
        if (dataSource.determinePassword() != null) {
            properties.setProperty("password", dataSource.determinePassword());
        }
        properties.setProperty("ApplicationName", "outbox-relay");
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(dataSource.determineUrl(), properties);
    }
}
