package io.ordercqrs.command.async;

import io.ordercqrs.command.outbox.TraceContexts;
import io.ordercqrs.command.web.IdempotentRequests;
import io.ordercqrs.service.web.CorrelationIdFilter;
import io.ordercqrs.service.security.Caller;
import java.net.URI;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Where the controllers hand their commands: run now, or, when the caller sent
 * {@code Prefer: respond-async}, stored and answered {@code 202 Accepted} with the
 * {@code Location} of the command's status, then run by a worker of any instance. Either way an
 * {@code Idempotency-Key} makes the request safe to retry: a retry of an accepted command answers
 * the same 202 and stores nothing new. An accepted command keeps the request's trace context and
 * correlation id: its events belong to the trace of the request that sent it.
 */
@Component
public class Commands {

    /** The request header asking not to wait (RFC 7240). */
    public static final String PREFER = "Prefer";

    /** The preference the 202 says it applied. */
    public static final String PREFERENCE_APPLIED = "Preference-Applied";

    private final CommandKinds kinds;
    private final AcceptedCommands accepted;
    private final AcceptedCommandRunner runner;
    private final IdempotentRequests idempotency;
    private final TraceContexts traces;

    Commands(CommandKinds kinds, AcceptedCommands accepted, AcceptedCommandRunner runner,
            IdempotentRequests idempotency, TraceContexts traces) {
        this.kinds = kinds;
        this.accepted = accepted;
        this.runner = runner;
        this.idempotency = idempotency;
        this.traces = traces;
    }

    /** Registers a kind of command; see {@link CommandKind} for what each argument is. */
    public <C, R> CommandKind<C, R> register(String name, Class<C> type, Class<R> answerType,
            Function<C, String> aggregate, BiFunction<C, Caller, ResponseEntity<R>> handler) {
        CommandKind<C, R> kind = new CommandKind<>(name, type, answerType, aggregate, handler);
        kinds.add(kind);
        return kind;
    }

    /**
     * Runs the command and answers as its kind does, or accepts it for later when the caller asked.
     * The declared answer is the synchronous one, which the API documents first; a 202's body is
     * the {@link CommandStatus} instead.
     */
    @SuppressWarnings("unchecked")
    public <C, R> ResponseEntity<R> answer(CommandKind<C, R> kind, C command, CommandCall call) {
        if (!call.respondAsync()) {
            return idempotency.run(call.idempotencyKey(), call.caller(), call.operation(), call.request(),
                    kind.answerType(), () -> kind.handler().apply(command, call.caller()));
        }
        ResponseEntity<CommandStatus> answer = idempotency.run(call.idempotencyKey(), call.caller(), call.operation(),
                call.request(), CommandStatus.class, () -> {
                    CommandStatus status = accepted.accept(call.caller(), call.operation(), kind.name(),
                            kind.aggregate().apply(command), kinds.write(command), traces.current(),
                            MDC.get(CorrelationIdFilter.MDC_KEY));
                    return ResponseEntity.accepted()
                            .location(URI.create("/commands/" + status.id()))
                            .header(PREFERENCE_APPLIED, "respond-async")
                            .header(HttpHeaders.RETRY_AFTER, "1")
                            .body(status);
                });
        runner.wakeUp();
        return (ResponseEntity<R>) (ResponseEntity<?>) answer;
    }
}
