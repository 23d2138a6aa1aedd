package io.ordercqrs.command.async;

import io.ordercqrs.command.web.EntityTags;
import io.ordercqrs.service.security.Caller;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The table of commands accepted for later ({@code accepted_commands}): stored before the 202 is
 * answered, claimed by one worker at a time, and kept with their answer for the retention.
 */
@Component
class AcceptedCommands {

    /** The first key of the advisory locks that claim commands (the second is a hash of the command id). */
    static final int CLAIM_LOCK_NAMESPACE = 1633903468;
    private static final int CLAIM_CANDIDATES = 16;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final JsonMapper problems;
    private final AsyncCommandSettings settings;
    private final Clock clock;

    AcceptedCommands(JdbcClient jdbc, JsonMapper json, AsyncCommandSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.problems = json.rebuild().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();
        this.settings = settings;
        this.clock = clock;
    }

    /** A command waiting to run, as claimed by a worker. */
    record Accepted(UUID id, Caller caller, String operation, String kind, String command, String traceparent,
            String correlationId) {
    }

    /** Stores a command to run later with the request's trace context and correlation id; its status is pending. */
    CommandStatus accept(Caller caller, String operation, String kind, String aggregate, String command,
            String traceparent, String correlationId) {
        UUID id = UUID.randomUUID();
        Instant now = now();
        jdbc.sql("""
                insert into accepted_commands (id, caller, caller_roles, operation, kind, aggregate, command,
                                               traceparent, correlation_id, accepted_at)
                values (:id, :caller, :roles, :operation, :kind, :aggregate, cast(:command as jsonb), :traceparent,
                        :correlationId, :now)
                """)
                .param("id", id)
                .param("caller", caller.subject())
                .param("roles", caller.roles().stream().map(Enum::name).sorted().collect(Collectors.joining(",")))
                .param("operation", operation)
                .param("kind", kind)
                .param("aggregate", aggregate)
                .param("command", command)
                .param("traceparent", traceparent)
                .param("correlationId", correlationId)
                .param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .update();
        return new CommandStatus(id, CommandStatus.State.PENDING, operation, now, null, null, null);
    }

    /**
     * Claims the oldest pending command of a kind this instance knows whose aggregate has no older
     * command pending (one running elsewhere still is), skipping those other workers hold. Must
     * run in the transaction that runs the command and records its answer.
     *
     * <p>The claim is a transaction-scoped advisory lock, not a row lock: locking a row gives the
     * transaction its id at once, before the command reads its aggregate, and a command on the
     * same aggregate committing in between would then have a younger transaction id than this one
     * although it wrote the earlier event; the relay publishes in transaction order. An advisory
     * lock takes no transaction id, so the command takes it at its first write, after reading.
     */
    Optional<Accepted> claimNext(Collection<String> kinds) {
        List<UUID> candidates = jdbc.sql("""
                select id from accepted_commands next
                where state = 'pending' and kind = any(:kinds)
                  and not exists (select 1 from accepted_commands earlier
                                  where earlier.aggregate = next.aggregate and earlier.state = 'pending'
                                    and earlier.seq < next.seq)
                order by seq
                limit :candidates
                """)
                .param("kinds", kinds.toArray(String[]::new))
                .param("candidates", CLAIM_CANDIDATES)
                .query(UUID.class)
                .list();
        for (UUID candidate : candidates) {
            if (!Boolean.TRUE.equals(jdbc.sql("select pg_try_advisory_xact_lock(:namespace, hashtext(:id))")
                    .param("namespace", CLAIM_LOCK_NAMESPACE)
                    .param("id", candidate.toString())
                    .query(Boolean.class)
                    .single())) {
                continue;
            }
            // Read again under the lock: a worker that held it may have run the command meanwhile.
            Optional<Accepted> claimed = jdbc.sql("""
                    select id, caller, caller_roles, operation, kind, command::text, traceparent, correlation_id
                    from accepted_commands next
                    where id = :id and state = 'pending'
                      and not exists (select 1 from accepted_commands earlier
                                      where earlier.aggregate = next.aggregate and earlier.state = 'pending'
                                        and earlier.seq < next.seq)
                    """)
                    .param("id", candidate)
                    .query((row, index) -> new Accepted(row.getObject(1, UUID.class), caller(row.getString(2),
                            row.getString(3)), row.getString(4), row.getString(5), row.getString(6), row.getString(7),
                            row.getString(8)))
                    .optional();
            if (claimed.isPresent()) {
                return claimed;
            }
        }
        return Optional.empty();
    }

    /** Records the answer of a command that ran, in the transaction that ran it. */
    void done(UUID id, ResponseEntity<?> answer) {
        complete(id, CommandStatus.State.DONE, answer.getStatusCode().value(), answer.getHeaders(),
                answer.getBody() == null ? null : json.writeValueAsString(answer.getBody()));
    }

    /**
     * Records the problem a command was refused with; nothing it would have changed was changed.
     * {@code false} when it was no longer pending: the refusal rolled the claim back with the
     * command, so another worker may have run it again and recorded its answer first.
     */
    boolean failed(UUID id, ResponseEntity<ProblemDetail> problem) {
        return complete(id, CommandStatus.State.FAILED, problem.getStatusCode().value(), problem.getHeaders(),
                problems.writeValueAsString(problem.getBody()));
    }

    private boolean complete(UUID id, CommandStatus.State state, int status, HttpHeaders headers, String body) {
        String location = headers.getFirst(HttpHeaders.LOCATION);
        String etag = headers.getFirst(HttpHeaders.ETAG);
        return jdbc.sql("""
                update accepted_commands
                set state = :state, completed_at = :now, answer_status = :status, answer_location = :location,
                    answer_etag = :etag, answer_body = :body
                where id = :id and state = 'pending'
                """)
                .param("id", id)
                .param("state", state.wireName())
                .param("now", OffsetDateTime.now(clock))
                .param("status", status)
                .param("location", location)
                .param("etag", etag)
                .param("body", body)
                .update() == 1;
    }

    /** The command's status, if the caller sent it or is ops. */
    Optional<CommandStatus> find(UUID id, Caller caller) {
        return jdbc.sql("""
                select id, caller, state, operation, accepted_at, completed_at, answer_status, answer_location,
                       answer_etag, answer_body
                from accepted_commands where id = :id
                """)
                .param("id", id)
                .query((row, index) -> new Sent(row.getString("caller"), status(row)))
                .optional()
                .filter(sent -> caller.isOps() || caller.subject().equals(sent.caller()))
                .map(Sent::status);
    }

    private record Sent(String caller, CommandStatus status) {
    }

    /** How many commands wait to run, and since when the oldest. */
    record Waiting(long count, Instant oldestAcceptedAt) {

        double oldestAgeSeconds(Clock clock) {
            return oldestAcceptedAt == null ? 0
                    : Duration.between(oldestAcceptedAt, clock.instant()).toMillis() / 1000.0;
        }
    }

    Waiting waiting() {
        return jdbc.sql("select count(*), min(accepted_at) as oldest from accepted_commands where state = 'pending'")
                .query((row, index) -> new Waiting(row.getLong(1), instant(row, "oldest")))
                .single();
    }

    /** Forgets commands that ran longer ago than the retention. */
    @Scheduled(fixedDelayString = "${ordercqrs.async-commands.cleanup-interval:PT10M}")
    public int forgetCompleted() {
        return jdbc.sql("delete from accepted_commands where state <> 'pending' and completed_at < :cutoff")
                .param("cutoff", OffsetDateTime.now(clock).minus(settings.retention()))
                .update();
    }

    private CommandStatus status(ResultSet row) throws SQLException {
        CommandStatus.State state = CommandStatus.State.ofWireName(row.getString("state"));
        String body = row.getString("answer_body");
        CommandStatus.Result result = null;
        if (state == CommandStatus.State.DONE) {
            String etag = row.getString("answer_etag");
            result = new CommandStatus.Result(row.getInt("answer_status"), row.getString("answer_location"),
                    etag == null ? null : EntityTags.expectedVersion(etag), body == null ? null : json.readTree(body));
        }
        return new CommandStatus(row.getObject("id", UUID.class), state, row.getString("operation"),
                instant(row, "accepted_at"), instant(row, "completed_at"), result,
                state == CommandStatus.State.FAILED ? json.readTree(body) : null);
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Caller caller(String subject, String roles) {
        return new Caller(subject, Arrays.stream(roles.split(",")).map(Caller.Role::valueOf)
                .collect(Collectors.toSet()));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
