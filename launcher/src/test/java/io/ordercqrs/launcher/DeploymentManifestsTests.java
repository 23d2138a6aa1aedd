package io.ordercqrs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * No Docker engine or cluster runs here, so the Compose file and the Kubernetes manifests are
 * checked against the applications themselves: the ports they listen on, the environment keys
 * their configuration reads, the settings they declare, the images the build produces.
 */
class DeploymentManifestsTests {

    private static final Path HOME = Path.of(System.getProperty("ordercqrs.home", "..")).toAbsolutePath().normalize();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+):");

    /** What each service needs from its environment to reach its servers and its token issuer. */
    private static final Map<String, Set<String>> REQUIRED = Map.of(
            "order-command-service", Set.of("DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD",
                    "KAFKA_BOOTSTRAP_SERVERS", "OAUTH2_ISSUER_URI"),
            "order-query-service", Set.of("MONGODB_URI", "KAFKA_BOOTSTRAP_SERVERS", "OAUTH2_ISSUER_URI",
                    "COMMAND_SERVICE_URL"));

    @Test
    void composeRunsTheServersAndBothServicesWithHealthChecksAndTheirOwnConfigurationKeys() throws IOException {
        Map<String, Object> services = map(load(HOME.resolve("docker-compose.yml")).get(0).get("services"));

        assertThat(services).containsOnlyKeys("postgres", "kafka", "mongo", "issuer", "jaeger",
                "order-command-service", "order-query-service");
        assertThat(map(services.get("postgres")).get("image")).isEqualTo("postgres:17");
        assertThat((String) map(services.get("kafka")).get("image")).startsWith("apache/kafka:");
        assertThat(map(map(services.get("kafka")).get("environment")).get("KAFKA_PROCESS_ROLES"))
                .isEqualTo("broker,controller");
        assertThat(map(services.get("mongo")).get("image")).isEqualTo("mongo:8");
        services.forEach((name, service) -> assertThat(map(service)).as(name + " has a health check")
                .satisfiesAnyOf(it -> assertThat(it).containsKey("healthcheck"),
                        it -> assertThat(name).as("nothing waits for the trace store").isEqualTo("jaeger")));
        assertThat((List<Object>) map(services.get("jaeger")).get("ports")).as("the trace UI, on this machine only")
                .isNotEmpty().allSatisfy(port -> assertThat(port.toString()).startsWith("127.0.0.1:"));
        assertThat((List<Object>) map(services.get("issuer")).get("ports"))
                .as("the development issuer mints ops tokens: reachable from this machine only")
                .isNotEmpty().allSatisfy(port -> assertThat(port.toString()).startsWith("127.0.0.1:"));

        for (String module : REQUIRED.keySet()) {
            Map<String, Object> service = map(services.get(module));
            Map<String, Object> environment = map(service.get("environment"));
            assertThat(environment).as(module + " sends its spans to Jaeger")
                    .containsEntry("OTLP_TRACING_ENABLED", "true")
                    .containsEntry("OTLP_TRACING_ENDPOINT", "http://jaeger:4318/v1/traces");
            assertThat(map(map(service.get("build")).get("args")).get("MODULE")).isEqualTo(module);
            assertThat(Files.exists(HOME.resolve(module).resolve("pom.xml"))).isTrue();
            assertThat(service.get("image")).isEqualTo("ordercqrs/" + module + ":latest");
            assertThat(environment.keySet()).as(module + " gets what it needs").containsAll(REQUIRED.get(module));
            assertThat(placeholders(module)).as(module + " reads every key compose sets")
                    .containsAll(environment.keySet());
            int port = defaultPort(module);
            assertThat(environment.get("PORT")).isEqualTo(Integer.toString(port));
            assertThat((List<Object>) service.get("ports")).containsExactly(port + ":" + port);
            map(service.get("depends_on")).forEach((dependency, condition) ->
                    assertThat(map(condition).get("condition")).as(module + " waits for " + dependency)
                            .isEqualTo("service_healthy"));
        }
        assertThat(map(map(services.get("order-query-service")).get("depends_on")))
                .containsKeys("mongo", "kafka", "issuer");
        assertThat(map(map(services.get("order-command-service")).get("depends_on")))
                .containsKeys("postgres", "kafka", "issuer");
    }

    @Test
    void kubernetesDeploysBothServicesAndSeparateRelaysWithProbesResourcesAndConfiguration() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(HOME.resolve("deploy/k8s"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".yaml")).toList()) {
                documents.addAll(load(file));
            }
        }
        Map<String, String> config = strings(find(documents, "ConfigMap", "ordercqrs-config").get("data"));
        Map<String, String> secrets = strings(find(documents, "Secret", "ordercqrs-secrets").get("stringData"));
        Map<String, String> deploymentModules = Map.of("order-command-service", "order-command-service",
                "outbox-relay", "order-command-service", "order-query-service", "order-query-service");

        deploymentModules.forEach((deployment, module) -> {
            Map<String, Object> container = container(workload(documents, deployment));
            Map<String, String> environment = new HashMap<>(config);
            environment.putAll(secrets);
            for (Object variable : (List<Object>) container.get("env")) {
                environment.put((String) map(variable).get("name"), String.valueOf(map(variable).get("value")));
            }
            assertThat(container.get("image")).isEqualTo("ordercqrs/" + module + ":latest");
            int port = defaultPort(module);
            assertThat(map(((List<Object>) container.get("ports")).get(0)).get("containerPort")).isEqualTo(port);
            assertThat(environment.get("PORT")).isEqualTo(Integer.toString(port));
            assertThat(environment.keySet()).as(deployment + " gets what it needs").containsAll(REQUIRED.get(module));
            assertThat(map(map(container.get("readinessProbe")).get("httpGet")).get("path"))
                    .isEqualTo("/actuator/health/readiness");
            assertThat(map(map(container.get("livenessProbe")).get("httpGet")).get("path"))
                    .isEqualTo("/actuator/health/liveness");
            assertThat(applicationYaml(module)).as("probes are switched on").contains("probes:\n        enabled: true");
            assertThat(map(map(container.get("resources")).get("requests"))).containsKeys("cpu", "memory");
            for (String key : environment.keySet()) {
                if (key.startsWith("ORDERCQRS_TOPICS_CONFIGS_")) {
                    // A Kafka topic config, bound into the ordercqrs.topics.configs map.
                    assertThat(declaredProperties(module)).contains("ordercqrs.topics.configs");
                }
                else if (key.startsWith("ORDERCQRS_")) {
                    assertThat(declaredProperties(module)).as(deployment + " sets " + key + ", which must be a setting")
                            .contains(property(key));
                }
                else if (!key.equals("PORT")) {
                    assertThat(placeholders(module).contains(key) || REQUIRED.values().stream()
                            .anyMatch(keys -> keys.contains(key))).as(deployment + " sets " + key).isTrue();
                }
            }
        });

        assertThat(env(find(documents, "Deployment", "order-command-service"))).containsEntry(
                "ORDERCQRS_OUTBOX_RELAY_ENABLED", "false");
        assertThat(env(find(documents, "Deployment", "outbox-relay"))).containsEntry(
                "ORDERCQRS_OUTBOX_RELAY_ENABLED", "true");
        int replicas = Integer.parseInt(config.get("ORDERCQRS_TOPICS_REPLICATIONFACTOR"));
        int minInSync = Integer.parseInt(config.get("ORDERCQRS_TOPICS_CONFIGS_MIN_INSYNC_REPLICAS"));
        assertThat(minInSync).as("an acknowledged write survives losing a broker, and one broker down still "
                + "accepts writes").isGreaterThanOrEqualTo(2).isLessThan(replicas);
        int partitions = Integer.parseInt(config.get("ORDERCQRS_TOPICS_PARTITIONS"));
        Map<String, Object> autoscaler = map(find(documents, "HorizontalPodAutoscaler", "order-query-service")
                .get("spec"));
        assertThat((Integer) autoscaler.get("maxReplicas")).as("no more query replicas than partitions")
                .isLessThanOrEqualTo(partitions);
        assertThat((Integer) map(workload(documents, "order-query-service").get("spec")).get("replicas"))
                .isLessThanOrEqualTo(partitions);
        Map<String, Object> queryService = find(documents, "StatefulSet", "order-query-service");
        assertThat(map(autoscaler.get("scaleTargetRef")).get("kind")).isEqualTo("StatefulSet");
        assertThat((List<Object>) container(queryService).get("env")).as("each replica's stable name is its static "
                + "group membership").anySatisfy(variable -> {
                    assertThat(map(variable).get("name")).isEqualTo("ORDERCQRS_GENERATIONS_INSTANCEID");
                    assertThat(map(map(map(variable).get("valueFrom")).get("fieldRef")).get("fieldPath"))
                            .isEqualTo("metadata.name");
                });
    }

    private static Map<String, String> env(Map<String, Object> deployment) {
        Map<String, String> environment = new HashMap<>();
        for (Object variable : (List<Object>) container(deployment).get("env")) {
            environment.put((String) map(variable).get("name"), String.valueOf(map(variable).get("value")));
        }
        return environment;
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        Map<String, Object> pod = map(map(map(deployment.get("spec")).get("template")).get("spec"));
        return map(((List<Object>) pod.get("containers")).get(0));
    }

    /** The Deployment or StatefulSet named {@code name}. */
    private static Map<String, Object> workload(List<Map<String, Object>> documents, String name) {
        return documents.stream().filter(document -> List.of("Deployment", "StatefulSet").contains(document.get("kind"))
                        && name.equals(map(document.get("metadata")).get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no workload " + name));
    }

    private static Map<String, Object> find(List<Map<String, Object>> documents, String kind, String name) {
        return documents.stream().filter(document -> kind.equals(document.get("kind"))
                        && name.equals(map(document.get("metadata")).get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static String property(String environmentKey) {
        return environmentKey.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** The settings a service declares (configuration metadata), with dashes dropped as relaxed binding does. */
    private static Set<String> declaredProperties(String module) {
        Set<String> names = new HashSet<>();
        for (Path metadata : List.of(HOME.resolve(module).resolve("target/classes/META-INF/spring-configuration-metadata.json"),
                HOME.resolve("service-support/target/classes/META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = Files.newInputStream(metadata)) {
                JsonNode properties = JsonMapper.shared().readTree(in).get("properties");
                properties.forEach(property -> names.add(property.get("name").asString().replace("-", "")));
            }
            catch (IOException e) {
                throw new AssertionError("no configuration metadata at " + metadata + "; build first", e);
            }
        }
        return names;
    }

    private static Set<String> placeholders(String module) {
        Set<String> keys = new HashSet<>(Set.of("PORT"));
        Matcher matcher = PLACEHOLDER.matcher(applicationYaml(module));
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        return keys;
    }

    private static int defaultPort(String module) {
        Matcher port = Pattern.compile("port: \\$\\{PORT:(\\d+)}").matcher(applicationYaml(module));
        assertThat(port.find()).isTrue();
        return Integer.parseInt(port.group(1));
    }

    private static String applicationYaml(String module) {
        try {
            return Files.readString(HOME.resolve(module).resolve("src/main/resources/application.yml"));
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Map<String, Object>> load(Path file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Object document : new Yaml().loadAll(in)) {
                if (document != null) {
                    documents.add(map(document));
                }
            }
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    private static Map<String, String> strings(Object value) {
        Map<String, String> strings = new HashMap<>();
        map(value).forEach((key, entry) -> strings.put(key, String.valueOf(entry)));
        return strings;
    }
}
