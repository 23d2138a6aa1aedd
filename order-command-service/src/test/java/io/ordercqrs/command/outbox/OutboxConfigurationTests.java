package io.ordercqrs.command.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.ordercqrs.events.wire.EventCodec;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import io.ordercqrs.service.kafka.EventTopicSetup;
import io.ordercqrs.service.kafka.TopicSettings;
import org.springframework.kafka.core.ProducerFactory;

/** The relay can be switched off per instance, so relays can run apart from the API. */
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
            assertThat(app).doesNotHaveBean(OutboxRelay.class);
            assertThat(app).hasSingleBean(OutboxEntries.class);
        });
    }

    @Test
    void runsARelayByDefault() {
        context.run(app -> assertThat(app).hasSingleBean(OutboxRelay.class));
    }
}
