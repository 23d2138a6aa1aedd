package io.ordercqrs.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The topic settings as the Kubernetes manifests set them: environment variables. */
class TopicSettingsTests {

    @Test
    void bindsKafkaTopicConfigsFromEnvironmentVariables() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
                "ORDERCQRS_TOPICS_REPLICATIONFACTOR", "3",
                "ORDERCQRS_TOPICS_CONFIGS_MIN_INSYNC_REPLICAS", "2")));

        TopicSettings settings = new Binder(ConfigurationPropertySources.get(environment))
                .bindOrCreate("ordercqrs.topics", TopicSettings.class);

        assertThat(settings.replicationFactor()).isEqualTo((short) 3);
        assertThat(settings.configs()).containsEntry("min.insync.replicas", "2");
        assertThat(settings.partitions()).isEqualTo(6);
    }
}
