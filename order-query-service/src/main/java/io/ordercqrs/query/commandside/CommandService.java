package io.ordercqrs.query.commandside;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** The command service's admin API, called with a bearer token: the ops caller's, or the query service's own. */
@Component
public class CommandService {

    private final RestClient client;

    CommandService(RestClient.Builder builder, CommandServiceSettings settings) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory();
        requests.setReadTimeout(settings.timeout());
        this.client = builder.clone().baseUrl(settings.url().toString()).requestFactory(requests).build();
    }

    /** The retained outbox rows of one aggregate, in sequence order. */
    public List<JsonNode> history(UUID aggregateId, String token) {
        return list(client.get().uri("/admin/outbox/aggregates/{id}/events", aggregateId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).retrieve().body(JsonNode.class));
    }

    /**
     * One page of every retained event that was or will be published, after {@code after} (from
     * the start when {@code null}).
     *
     * @param events   the rows, in publishing order within each aggregate
     * @param next     where the following page starts
     * @param complete whether the page reached the newest row the command side could read
     */
    public record HistoryPage(List<JsonNode> events, @Nullable String next, boolean complete) {
    }

    public HistoryPage historyPage(@Nullable String after, int limit, String token) {
        JsonNode page = client.get().uri(builder -> builder.path("/admin/outbox/events")
                        .queryParamIfPresent("after", Optional.ofNullable(after)).queryParam("limit", limit).build())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).retrieve().body(JsonNode.class);
        if (page == null) {
            throw new IllegalStateException("The command side answered no page of its history");
        }
        return new HistoryPage(list(page.get("events")), page.path("next").asString(null),
                page.path("complete").asBoolean());
    }

    /** Outbox rows Kafka refused for good. */
    public List<JsonNode> failedOutboxRows(String token) {
        return list(client.get().uri("/admin/outbox/failed?limit=1000")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).retrieve().body(JsonNode.class));
    }

    /** Puts a failed outbox row back in line. */
    public JsonNode retryOutboxRow(long id, String token) {
        return client.post().uri("/admin/outbox/failed/{id}/retry", id)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).retrieve().body(JsonNode.class);
    }

    /** One page of the command side's current orders or customers, by id after {@code after}. */
    public List<JsonNode> snapshot(String kind, UUID after, int limit, String token) {
        return list(client.get().uri(builder -> builder.path("/admin/snapshot/" + kind)
                        .queryParamIfPresent("after", Optional.ofNullable(after))
                        .queryParam("limit", limit).build())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).retrieve().body(JsonNode.class));
    }

    private static List<JsonNode> list(JsonNode array) {
        return array == null ? List.of() : array.valueStream().toList();
    }
}
