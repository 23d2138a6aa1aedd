package io.ordercqrs.command.async;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * What became of a command accepted with {@code Prefer: respond-async}: the body of the 202 that
 * accepted it and of its status resource {@code GET /commands/{id}}.
 *
 * @param id          the command's id, the last segment of its status resource
 * @param state       {@code pending} until it ran, then {@code done} or {@code failed}
 * @param operation   method and path it was sent to
 * @param acceptedAt  when it was stored
 * @param completedAt when it ran (absent while pending)
 * @param result      when done: the answer the synchronous request would have given
 * @param problem     when failed: the problem details the synchronous request would have answered
 */
@Schema(description = "A command accepted for later and what became of it")
public record CommandStatus(UUID id, State state, String operation, Instant acceptedAt, Instant completedAt,
        Result result, @Schema(ref = "#/components/schemas/Problem") JsonNode problem) {

    /** Where a command is in its life. */
    public enum State {
        PENDING, DONE, FAILED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static State ofWireName(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * The answer a done command gave.
     *
     * @param status   its HTTP status, such as 201 for a placed order
     * @param location the {@code Location} it named, if any
     * @param version  the aggregate's new version (its {@code ETag})
     * @param body     its body: the order or the customer as changed
     */
    public record Result(int status, String location, Long version, JsonNode body) {
    }
}
