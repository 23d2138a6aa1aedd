package io.ordercqrs.command.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.ordercqrs.events.wire.EventCodec;
import java.sql.DriverManager;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import io.ordercqrs.service.kafka.EventTopicSetup;
import org.springframework.kafka.core.ProducerFactory;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Wires the outbox: its table access, and the relay unless it is switched off. */
@Configuration(proxyBeanMethods = false)
class OutboxConfiguration {

    @Bean
    OutboxEntries outboxEntries(DataSource dataSource) {
        return new OutboxEntries(dataSource);
    }

    /** The polling relay, or with {@code ordercqrs.outbox.relay.mode=cdc} the change-data-capture one. */
    @Bean
    @ConditionalOnBooleanProperty(name = "ordercqrs.outbox.relay.enabled", matchIfMissing = true)
    Relay outboxRelay(OutboxEntries entries, DataSource pool, DataSourceProperties dataSource,
            ProducerFactory<String, byte[]> producers, EventCodec codec, OutboxSettings outbox, EventTopicSetup topics,
            RelaySettings settings, ObjectProvider<MeterRegistry> meters) {
        Map<String, Object> kafka = producers.getConfigurationProperties();
        RecordSender sender = new RecordSender(RecordSender.producers(kafka), codec, outbox.source(),
                settings.maxRecordBytes());
        if (settings.mode() == RelaySettings.Mode.CDC) {
            Object bootstrap = kafka.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
            Properties engine = CdcEngineConfig.of(dataSource.determineUrl(), dataSource.determineUsername(),
                    dataSource.determinePassword(), bootstrap instanceof Collection<?> servers
                            ? String.join(",", servers.stream().map(Object::toString).toList())
                            : String.valueOf(bootstrap), settings);
            return new CdcRelay(entries, new CdcMarks(pool), () -> dedicatedConnection(dataSource), sender,
                    topics::ensure, settings, engine, meters.getIfAvailable());
        }
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
