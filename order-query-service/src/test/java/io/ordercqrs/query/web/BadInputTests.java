package io.ordercqrs.query.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.query.ProjectionCaughtUp;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.BadInputs;
import io.ordercqrs.testsupport.TestTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * For every operation of the served OpenAPI document, every kind of bad input it lets a client
 * express (malformed or out-of-range query parameters, malformed ids, bad bodies, an oversized
 * body): each is answered 4xx with problem details naming the field, never 5xx, and changes
 * nothing in MongoDB.
 */
@QueryServiceTest
class BadInputTests {

    private static final JsonMapper JSON = JsonMapper.shared();

    /** A valid body per operation with a body; the test fails when the document has one more. */
    private static final Map<String, Object> BODIES = Map.of(
            "POST /admin/dead-letters/{id}/discard", Map.of("reason", "not needed"));

    @LocalServerPort
    int port;

    @Autowired
    MongoTemplate mongo;

    @Autowired
    ActiveViews active;

    @Test
    void answersEveryKindOfBadInputWith4xxNamingTheFieldAndChangesNothing() {
        ApiClient api = new ApiClient(port);
        JsonNode docs = api.get(null, "/v3/api-docs").body();
        // Events other tests published may still be on their way into these views.
        ProjectionCaughtUp.await("order-query-service-g" + active.current().generation());
        Map<String, Long> before = counts();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        String customer = TestTokens.customer(UUID.randomUUID());

        for (var path : docs.get("paths").properties()) {
            for (var operation : path.getValue().properties()) {
                String key = operation.getKey().toUpperCase() + " " + path.getKey();
                HttpMethod method = HttpMethod.valueOf(operation.getKey().toUpperCase());
                String token = path.getKey().startsWith("/admin") ? TestTokens.ops() : customer;
                String concrete = path.getKey().replaceAll("\\{[A-Za-z]+}", UUID.randomUUID().toString());
                Object valid = BODIES.get(key);
                for (BadInputs.ParameterVariant variant : BadInputs.parameterVariants(docs, operation.getValue())) {
                    sent++;
                    BadInputs.expect(failures, key + " " + variant.description(), api.call(method, token,
                            concrete + "?" + variant.field() + "=" + variant.value(), valid, Map.of()),
                            variant.field());
                }
                for (JsonNode parameter : operation.getValue().path("parameters")) {
                    if ("path".equals(parameter.path("in").asString(""))
                            && "uuid".equals(parameter.at("/schema/format").asString(""))) {
                        sent++;
                        String name = parameter.get("name").asString();
                        BadInputs.expect(failures, key + " malformed " + name, api.call(method, token,
                                path.getKey().replace("{" + name + "}", "not-a-uuid")
                                        .replaceAll("\\{[A-Za-z]+}", UUID.randomUUID().toString()), valid, Map.of()),
                                name);
                    }
                }
                JsonNode requestBody = operation.getValue().at("/requestBody/content/application~1json/schema");
                if (requestBody.isMissingNode()) {
                    continue;
                }
                assertThat(BODIES).as("a valid body for %s", key).containsKey(key);
                for (BadInputs.Variant variant : BadInputs.variants(docs, requestBody, JSON.valueToTree(valid), "")) {
                    sent++;
                    BadInputs.expect(failures, key + " " + variant.description(),
                            api.call(method, token, concrete, variant.body().toString(), Map.of()), variant.field());
                }
                sent++;
                BadInputs.expect(failures, key + " oversized body", api.call(method, token, concrete,
                        "{\"x\":\"" + "x".repeat(1_100_000) + "\"}", Map.of()), null);
            }
        }

        assertThat(failures).as("of %d bad requests", sent).isEmpty();
        assertThat(sent).isGreaterThan(15);
        assertThat(counts()).as("nothing written").isEqualTo(before);
    }

    private Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        for (String collection : mongo.getCollectionNames()) {
            counts.put(collection, mongo.getCollection(collection).countDocuments(new Document()));
        }
        return counts;
    }
}
