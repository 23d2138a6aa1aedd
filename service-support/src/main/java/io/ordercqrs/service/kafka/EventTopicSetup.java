package io.ordercqrs.service.kafka;

import io.ordercqrs.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Creates the event topics that do not exist yet, with the configured partitions, replication and
 * configs, and brings existing topics' configs (retention, {@code min.insync.replicas}, ...) to the
 * configured values. It never changes an existing topic's partition count: adding partitions moves
 * keys to other partitions, so an aggregate's later events could be consumed before its earlier
 * ones. A topic whose count differs from the configuration is reported (a warning in the log and
 * in {@code /actuator/health/topics}); re-partitioning is an operation of its own (a new topic and
 * a replay, see {@code docs/OPERATIONS.md}).
 *
 * <p>Runs once at start-up and again whenever a caller (the outbox relay, before it sends) asks
 * while the topics were not set up yet; Kafka being down at start-up does not stop the service.
 */
public class EventTopicSetup implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(EventTopicSetup.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * One topic as found.
     *
     * @param partitions the partitions it has
     * @param configured the partitions the configuration asks for
     */
    public record TopicState(String name, int partitions, int configured) {

        public boolean partitionsDiffer() {
            return partitions != configured;
        }
    }

    private final Map<String, Object> adminConfig;
    private final TopicSettings settings;
    private volatile boolean ready;
    private volatile List<TopicState> topics = List.of();
    private volatile String lastError;

    public EventTopicSetup(Map<String, Object> adminConfig, TopicSettings settings) {
        this.adminConfig = Map.copyOf(adminConfig);
        this.settings = settings;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ensure();
    }

    /** Sets the topics up unless that happened already; answers whether they are ready. */
    public boolean ensure() {
        if (ready) {
            return true;
        }
        synchronized (this) {
            if (!ready) {
                try (Admin admin = Admin.create(adminConfig)) {
                    setUp(admin);
                    ready = true;
                    lastError = null;
                }
                catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                    log.warn("Could not set the event topics up yet; trying again before the next send: {}",
                            lastError);
                }
            }
            return ready;
        }
    }

    /** The topics as found at the last set-up. */
    public List<TopicState> topics() {
        return topics;
    }

    /** Why the last set-up failed, or {@code null}. */
    public String lastError() {
        return lastError;
    }

    public boolean isReady() {
        return ready;
    }

    private void setUp(Admin admin) throws InterruptedException, ExecutionException,
            java.util.concurrent.TimeoutException {
        Map<String, TopicDescription> existing = describe(admin, Topics.ALL);
        List<NewTopic> missing = Topics.ALL.stream().filter(name -> !existing.containsKey(name))
                .map(name -> new NewTopic(name, settings.partitions(), settings.replicationFactor())
                        .configs(configs()))
                .toList();
        if (!missing.isEmpty()) {
            try {
                admin.createTopics(missing).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                log.info("Created the event topics {}", missing.stream().map(NewTopic::name).toList());
            }
            catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        alignConfigs(admin, existing.keySet());
        List<TopicState> found = new ArrayList<>();
        describe(admin, Topics.ALL).forEach((name, description) -> {
            TopicState state = new TopicState(name, description.partitions().size(), settings.partitions());
            if (state.partitionsDiffer()) {
                log.warn("Topic {} has {} partitions and the configuration asks for {}. Partitions are never "
                        + "changed automatically (it would break per-aggregate order); see docs/OPERATIONS.md, "
                        + "'Re-partitioning an event topic'.", name, state.partitions(), state.configured());
            }
            found.add(state);
        });
        topics = List.copyOf(found);
    }

    private void alignConfigs(Admin admin, Collection<String> names) throws InterruptedException,
            ExecutionException, java.util.concurrent.TimeoutException {
        if (names.isEmpty()) {
            return;
        }
        List<ConfigResource> resources = names.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        Map<ConfigResource, Config> current = admin.describeConfigs(resources).all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new LinkedHashMap<>();
        current.forEach((resource, config) -> {
            List<AlterConfigOp> ops = new ArrayList<>();
            configs().forEach((key, value) -> {
                ConfigEntry entry = config.get(key);
                if (entry == null || !value.equals(entry.value())) {
                    ops.add(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET));
                }
            });
            if (!ops.isEmpty()) {
                changes.put(resource, ops);
            }
        });
        if (!changes.isEmpty()) {
            admin.incrementalAlterConfigs(changes).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Brought the configs of {} to the configured values", changes.keySet().stream()
                    .map(ConfigResource::name).toList());
        }
    }

    private Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put(TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(settings.retention().isNegative() ? -1 : settings.retention().toMillis()));
        configs.putAll(settings.configs());
        return configs;
    }

    private static Map<String, TopicDescription> describe(Admin admin, Collection<String> names)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        Map<String, TopicDescription> found = new LinkedHashMap<>();
        for (var entry : admin.describeTopics(names).topicNameValues().entrySet()) {
            try {
                found.put(entry.getKey(), entry.getValue().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            }
            catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        }
        return found;
    }
}
