package io.ordercqrs.command.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.command.CommandServiceTest;
import io.ordercqrs.testsupport.ApiClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The served OpenAPI document describes the answers the service gives, and nothing of the caller but the token. */
@CommandServiceTest
class ApiDocumentTests {

    @LocalServerPort
    int port;

    @Test
    void documentsStatusesMediaTypesProblemsAndSchemasAsAnswered() {
        JsonNode docs = new ApiClient(port).get(null, "/v3/api-docs").body();
        JsonNode paths = docs.get("paths");
        List<String> parameters = new ArrayList<>();
        List<String> mediaTypes = new ArrayList<>();
        paths.forEach(path -> path.forEach(operation -> {
            operation.path("parameters").forEach(parameter -> parameters.add(parameter.get("name").asString()));
            operation.path("responses").forEach(response -> response.path("content").propertyNames()
                    .forEach(mediaTypes::add));
        }));
        JsonNode place = paths.at("/~1orders/post");
        JsonNode schemas = docs.at("/components/schemas");

        assertThat(parameters).as("the caller is the token, not a parameter").doesNotContain("caller");
        assertThat(mediaTypes).doesNotContain("*/*").contains("application/json", "application/problem+json");
        assertThat(place.get("responses").propertyNames()).contains("201", "400", "401", "403", "409", "413", "422",
                "503").doesNotContain("200");
        assertThat(place.at("/responses/422/content/application~1problem+json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/Problem");
        assertThat(place.at("/responses/202/content/application~1json/schema/$ref").asString())
                .as("Prefer: respond-async answers the command's status").isEqualTo("#/components/schemas/CommandStatus");
        assertThat(paths.at("/~1orders~1{id}~1payment/post/parameters").findValuesAsString("name")).contains("Prefer");
        assertThat(paths.at("/~1commands~1{id}/get/responses/200/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/CommandStatus");
        assertThat(schemas.at("/CommandStatus/properties/state/enum").toString())
                .isEqualTo("[\"pending\",\"done\",\"failed\"]");
        assertThat(paths.at("/~1admin~1outbox~1aggregates~1{aggregateId}~1republish/post/responses").propertyNames())
                .contains("202").doesNotContain("200");
        assertThat(schemas.at("/OrderLine/properties/unitPrice").toString()).as("answered as {amount, currency}")
                .contains("#/components/schemas/Amount");
        assertThat(schemas.at("/OrderResponse/required").toString()).as("absent until paid")
                .doesNotContain("payment");
        assertThat(schemas.at("/OrderLineRequest/properties/quantity/type").toString()).contains("integer");
        assertThat(schemas.at("/RegisterCustomerRequest/properties/name/minLength").asInt())
                .as(docs.get("openapi") + " " + schemas.at("/RegisterCustomerRequest")).isEqualTo(1);
        assertThat(schemas.at("/Problem/properties/errors").isMissingNode()).isFalse();
    }
}
