package io.ordercqrs.events.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.events.EventType;
import io.ordercqrs.events.SampleEvents;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The committed JSON Schemas under {@code schemas/} are the published contract for consumers that
 * do not use this library. These tests fail when a change would break such a consumer: a required
 * field removed or retyped, an event type renamed, or a published schema edited in place.
 */
class SchemaCompatibilityTests {

    private static final Pattern SCHEMA_PATH = Pattern.compile(".*/schemas/([a-z.-]+)/v(\\d+)\\.json$");

    private final JsonMapper json = JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final EventCodec codec = new EventCodec();

    @Test
    void everyCommittedSchemaBelongsToAnEventTypeThatStillExists() throws IOException {
        for (String typeAndVersion : committedSchemas().keySet()) {
            String type = typeAndVersion.substring(0, typeAndVersion.indexOf('@'));
            int version = Integer.parseInt(typeAndVersion.substring(typeAndVersion.indexOf('@') + 1));
            assertThat(EventType.fromWireName(type))
                    .as("schemas/%s has no event type any more: wire names are published and must never be renamed", type)
                    .isPresent();
            assertThat(version)
                    .as("schemas/%s/v%d is newer than the type's current version", type, version)
                    .isLessThanOrEqualTo(EventType.fromWireName(type).orElseThrow().schemaVersion());
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyVersionOfEveryTypeHasACommittedSchema(EventType type) throws IOException {
        Map<String, Resource> schemas = committedSchemas();
        for (int version = 1; version <= type.schemaVersion(); version++) {
            assertThat(schemas).as("schema for %s v%d", type.wireName(), version)
                    .containsKey(type.wireName() + "@" + version);
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void eventsWrittenTodayConformToTheirPublishedSchema(EventType type) throws IOException {
        DomainEvent sample = SampleEvents.byType().get(type);
        JsonNode written = json.readTree(codec.encode(sample, EventMetadata.from("/test")).data());

        List<Error> errors = schema(type.wireName(), type.schemaVersion()).validate(written);

        assertThat(errors).as("%s as written today breaks schemas/%s/v%d.json", type.wireName(), type.wireName(),
                type.schemaVersion()).isEmpty();
    }

    @Test
    void payloadsPublishedInOlderVersionsStillMatchTheirSchemaAndDecode() throws IOException {
        for (EventType type : EventType.values()) {
            for (int version = 1; version < type.schemaVersion(); version++) {
                String path = "/published-payloads/" + type.wireName() + "/v" + version + ".json";
                byte[] payload;
                try (InputStream in = getClass().getResourceAsStream(path)) {
                    assertThat(in).as("a payload as published in %s v%d (%s)", type.wireName(), version, path)
                            .isNotNull();
                    payload = in.readAllBytes();
                }
                JsonNode tree = json.readTree(payload);
                assertThat(schema(type.wireName(), version).validate(tree)).isEmpty();

                EventEnvelope envelope = new EventEnvelope(
                        java.util.UUID.fromString(tree.get("eventId").stringValue()), type.wireName(), version,
                        type.aggregateType(), "/published", java.time.Instant.parse(tree.get("occurredAt").stringValue()),
                        tree.get(type.aggregateType().wireName() + "Id").stringValue(), tree.get("sequence").longValue(),
                        null, null, payload);
                assertThat(codec.decode(envelope)).isInstanceOf(type.recordType());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void detectsEveryRemovedOrRetypedRequiredField(EventType type) throws IOException {
        // Proves the check above has teeth: each breaking change a producer could make is caught.
        Schema schema = schema(type.wireName(), type.schemaVersion());
        ObjectNode written = (ObjectNode) json.readTree(codec.encode(SampleEvents.byType().get(type),
                EventMetadata.from("/test")).data());

        for (JsonNode required : schema.getSchemaNode().get("required")) {
            String field = required.stringValue();

            ObjectNode removed = written.deepCopy();
            removed.remove(field);
            assertThat(schema.validate(removed)).as("%s without %s", type.wireName(), field).isNotEmpty();

            ObjectNode retyped = written.deepCopy();
            JsonNode original = written.get(field);
            if (original.isString()) {
                retyped.put(field, 42);
            }
            else {
                retyped.put(field, "retyped");
            }
            assertThat(schema.validate(retyped)).as("%s with %s retyped", type.wireName(), field).isNotEmpty();
        }
    }

    @Test
    void publishedSchemasAreNeverEditedInPlace() throws IOException {
        Map<String, String> locked = lockedFingerprints();
        Map<String, String> actual = new TreeMap<>();
        for (Map.Entry<String, Resource> schema : committedSchemas().entrySet()) {
            actual.put(schema.getKey(), fingerprint(schema.getValue()));
        }

        List<String> changed = new ArrayList<>();
        locked.forEach((name, hash) -> {
            if (!hash.equals(actual.get(name))) {
                changed.add(name + (actual.containsKey(name) ? " was edited" : " was deleted"));
            }
        });
        assertThat(changed)
                .as("Published schemas are immutable: write a new version and an upcaster instead. A documentation-only"
                        + " edit must update src/test/resources/published-schemas.sha256 in the same commit.")
                .isEmpty();
        assertThat(locked.keySet())
                .as("every committed schema is recorded in published-schemas.sha256 (%s)", actual)
                .containsAll(actual.keySet());
    }

    private Map<String, Resource> committedSchemas() throws IOException {
        Map<String, Resource> schemas = new TreeMap<>();
        for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath*:schemas/*/v*.json")) {
            Matcher matcher = SCHEMA_PATH.matcher(resource.getURL().toString());
            assertThat(matcher.matches()).as("schema file name %s", resource.getURL()).isTrue();
            schemas.put(matcher.group(1) + "@" + matcher.group(2), resource);
        }
        assertThat(schemas).isNotEmpty();
        return schemas;
    }

    private Schema schema(String type, int version) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/schemas/" + type + "/v" + version + ".json")) {
            assertThat(in).as("schemas/%s/v%d.json", type, version).isNotNull();
            return registry.getSchema(in);
        }
    }

    private String fingerprint(Resource resource) throws IOException {
        try (InputStream in = resource.getInputStream()) {
            byte[] canonical = json.writeValueAsBytes(json.readTree(in));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> lockedFingerprints() throws IOException {
        Map<String, String> locked = new TreeMap<>();
        try (InputStream in = getClass().getResourceAsStream("/published-schemas.sha256")) {
            assertThat(in).as("src/test/resources/published-schemas.sha256").isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] parts = line.trim().split("\\s+");
                    locked.put(parts[1], parts[0]);
                }
            }
        }
        return locked;
    }
}
