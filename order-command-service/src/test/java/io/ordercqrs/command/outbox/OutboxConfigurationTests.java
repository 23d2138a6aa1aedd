package io.ordercqrs.command.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import io.ordercqrs.events.wire.EventCodec;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import io.ordercqrs.service.kafka.EventTopicSetup;
import io.ordercqrs.service.kafka.TopicSettings;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.ProducerFactory;

/** The relay can be switched off per instance, so relays can run apart from the API, and runs in either mode. */
class OutboxConfigurationTests {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(OutboxConfiguration.class)
            .withBean(DataSource.class, () -> mock(DataSource.class))
            .withBean(DataSourceProperties.class, DataSourceProperties::new)
            .withBean(ProducerFactory.class, () -> mock(ProducerFactory.class))
            .withBean(EventCodec.class, EventCodec::new)
            .withBean(EventTopicSetup.class, () -> new EventTopicSetup(java.util.Map.of(),
                    new TopicSettings(6, (short) 1, java.time.Duration.ofMillis(-1), java.util.Map.of())))
            .withBean(OutboxSettings.class, () -> new OutboxSettings("/test"))
            .withBean(RelaySettings.class, RelayTestBed::settings);

    @Test
    void runsNoRelayWhereItIsSwitchedOff() {
        context.withPropertyValues("ordercqrs.outbox.relay.enabled=false").run(app -> {
            assertThat(app).doesNotHaveBean(Relay.class);
            assertThat(app).hasSingleBean(OutboxEntries.class);
        });
    }

    @Test
    void runsThePollingRelayByDefault() {
        context.run(app -> assertThat(app.getBean(Relay.class)).isInstanceOf(OutboxRelay.class));
    }

    @Test
    void runsTheChangeDataCaptureRelayInCdcMode() {
        DataSourceProperties database = new DataSourceProperties();
        database.setUrl("jdbc:postgresql://db.internal:6543/orders");
        database.setUsername("relay");
        context.withAllowBeanDefinitionOverriding(true)
                .withBean(DataSourceProperties.class, () -> database)
                .withBean(ProducerFactory.class, () -> new DefaultKafkaProducerFactory<>(
                        java.util.Map.of("bootstrap.servers", "kafka-1:9092")))
                .withBean(RelaySettings.class, () -> RelayTestBed.inMode(RelayTestBed.settings(),
                        RelaySettings.Mode.CDC, "orders_outbox"))
                .run(app -> {
                    assertThat(app.getBean(Relay.class)).isInstanceOf(CdcRelay.class);
                    assertThat(app.getBean(Relay.class).details()).containsEntry("mode", "cdc")
                            .containsEntry("slot", "orders_outbox");
                });
    }

    @Test
    void readsTheDatabaseTheEngineStreamsFromTheJdbcUrl() {
        assertThat(CdcEngineConfig.of("jdbc:postgresql://db.internal:6543/orders?sslmode=require", "relay", "secret",
                "kafka-1:9092", RelayTestBed.inMode(RelayTestBed.settings(), RelaySettings.Mode.CDC, "orders_outbox")))
                .containsEntry("database.hostname", "db.internal").containsEntry("database.port", "6543")
                .containsEntry("database.dbname", "orders").containsEntry("slot.name", "orders_outbox")
                .containsEntry("plugin.name", "pgoutput").containsEntry("skipped.operations", "u,d,t")
                .as("the poll interval the settings give (the tests' 10 ms)").containsEntry("poll.interval.ms", "10");
        assertThatThrownBy(() -> CdcEngineConfig.Database.of("jdbc:mysql://db/orders"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:postgresql://");
    }
}
