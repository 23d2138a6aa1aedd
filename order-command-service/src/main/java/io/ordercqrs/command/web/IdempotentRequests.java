package io.ordercqrs.command.web;

import io.ordercqrs.service.web.InvalidRequest;
import io.ordercqrs.service.security.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a POST command so that a retry with the same {@code Idempotency-Key} gets the first answer
 * back and changes nothing. The command runs and its answer is stored under the key in one
 * transaction, in one statement after the command's own: a command that fails leaves no key
 * behind, and when the key has answered already (a retry, or a concurrent attempt that got there
 * first, whose insert this one waits for) the command is rolled back and the first answer is
 * given. Keys are per caller; the same key with a different request is refused.
 */
@Component
public class IdempotentRequests {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    /** Kept with the first answer, so a retry of an asynchronous command says it was accepted for later. */
    private static final String PREFERENCE_APPLIED = "Preference-Applied";

    private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final TypeReference<Map<String, String>> HEADER_MAP = new TypeReference<>() {
    };

    private final TransactionTemplate transactions;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final JsonMapper canonicalJson;
    private final IdempotencySettings settings;
    private final Clock clock;

    IdempotentRequests(TransactionTemplate transactions, JdbcClient jdbc, JsonMapper json,
            IdempotencySettings settings, Clock clock) {
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.json = json;
        this.canonicalJson = json.rebuild()
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .build();
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Runs the command in a transaction, or answers as the first request with this key did.
     *
     * @param key       the {@code Idempotency-Key} header, or {@code null} to simply run the command
     * @param operation method and path of the request, so a key cannot be replayed elsewhere
     * @param request   the request body (or {@code null}), compared with the first request's
     * @param bodyType  the type of the answer's body, to read a stored answer back
     * @throws IdempotencyKeyReused when the key answered a different request before
     */
    public <T> ResponseEntity<T> run(String key, Caller caller, String operation, Object request, Class<T> bodyType,
            Supplier<ResponseEntity<T>> command) {
        if (key == null) {
            return transactions.execute(status -> command.get());
        }
        if (!VALID_KEY.matcher(key).matches()) {
            throw new InvalidRequest(HEADER, "must be 1 to 255 visible ASCII characters");
        }
        String fingerprint = fingerprint(operation, request);
        try {
            return transactions.execute(status -> {
                ResponseEntity<T> response = command.get();
                if (!remember(caller, key, fingerprint, response)) {
                    throw new AnsweredElsewhere();
                }
                return response;
            });
        }
        catch (RuntimeException failed) {
            // A retry of a request that succeeded, or one that raced its first attempt and lost: the
            // command was rolled back; the first attempt's answer is the answer.
            Optional<StoredAnswer> first = find(caller, key);
            if (first.isPresent()) {
                return replay(first.get(), key, fingerprint, bodyType);
            }
            throw failed;
        }
    }

    /** Forgets keys older than the retention. */
    @Scheduled(fixedDelayString = "${ordercqrs.idempotency.cleanup-interval:PT10M}")
    public int forgetExpiredKeys() {
        return jdbc.sql("delete from idempotency_keys where created_at < :cutoff")
                .param("cutoff", OffsetDateTime.now(clock).minus(settings.retention()))
                .update();
    }

    private Optional<StoredAnswer> find(Caller caller, String key) {
        return jdbc.sql("""
                select request_fingerprint, response_status, response_headers, response_body
                from idempotency_keys where caller = :caller and idempotency_key = :key
                """)
                .param("caller", caller.subject())
                .param("key", key)
                .query((row, index) -> new StoredAnswer(row.getString(1), row.getInt(2), row.getString(3),
                        row.getString(4)))
                .optional();
    }

    private <T> ResponseEntity<T> replay(StoredAnswer stored, String key, String fingerprint, Class<T> bodyType) {
        if (!stored.fingerprint().equals(fingerprint)) {
            throw new IdempotencyKeyReused(key);
        }
        HttpHeaders headers = new HttpHeaders();
        json.readValue(stored.headers(), HEADER_MAP).forEach(headers::set);
        headers.set(REPLAYED_HEADER, "true");
        T body = stored.body() == null ? null : json.readValue(stored.body(), bodyType);
        return ResponseEntity.status(stored.status()).headers(headers).body(body);
    }

    /**
     * Stores the answer under the key, in the command's transaction; {@code false} when the key
     * answered first elsewhere (a concurrent attempt's insert waits here until that one ends).
     */
    private boolean remember(Caller caller, String key, String fingerprint, ResponseEntity<?> response) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : new String[] {HttpHeaders.LOCATION, HttpHeaders.ETAG, PREFERENCE_APPLIED}) {
            String value = response.getHeaders().getFirst(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return jdbc.sql("""
                insert into idempotency_keys (caller, idempotency_key, request_fingerprint, response_status,
                                              response_headers, response_body, created_at)
                values (:caller, :key, :fingerprint, :status, cast(:headers as jsonb), :body, :now)
                on conflict do nothing
                """)
                .param("caller", caller.subject())
                .param("key", key)
                .param("fingerprint", fingerprint)
                .param("status", response.getStatusCode().value())
                .param("headers", json.writeValueAsString(headers))
                .param("body", response.getBody() == null ? null : json.writeValueAsString(response.getBody()))
                .param("now", OffsetDateTime.now(clock))
                .update() == 1;
    }

    /** The key answered first elsewhere: this attempt's command is rolled back. */
    private static final class AnsweredElsewhere extends RuntimeException {

        AnsweredElsewhere() {
            super("The Idempotency-Key answered first elsewhere", null, false, false);
        }
    }

    private String fingerprint(String operation, Object request) {
        String canonical = operation + "\n" + (request == null ? "" : canonicalJson.writeValueAsString(request));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record StoredAnswer(String fingerprint, int status, String headers, String body) {
    }
}
