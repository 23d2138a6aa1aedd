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
 * back and changes nothing. The key is claimed, the command runs and its answer is stored in one
 * transaction: a command that fails leaves no key behind, and a concurrent retry waits for the
 * first attempt to finish and then answers as it did. Keys are per caller; the same key with a
 * different request is refused.
 */
@Component
public class IdempotentRequests {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

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
        return transactions.execute(status -> {
            // Waits while another transaction holds the same key, then either claims it or sees its answer.
            int claimed = jdbc.sql("""
                    insert into idempotency_keys (caller, idempotency_key, request_fingerprint, created_at)
                    values (:caller, :key, :fingerprint, :now)
                    on conflict do nothing
                    """)
                    .param("caller", caller.subject())
                    .param("key", key)
                    .param("fingerprint", fingerprint)
                    .param("now", OffsetDateTime.now(clock))
                    .update();
            if (claimed == 0) {
                return replay(caller, key, fingerprint, bodyType);
            }
            ResponseEntity<T> response = command.get();
            store(caller, key, response);
            return response;
        });
    }

    /** Forgets keys older than the retention. */
    @Scheduled(fixedDelayString = "${ordercqrs.idempotency.cleanup-interval:PT10M}")
    public int forgetExpiredKeys() {
        return jdbc.sql("delete from idempotency_keys where created_at < :cutoff")
                .param("cutoff", OffsetDateTime.now(clock).minus(settings.retention()))
                .update();
    }

    private <T> ResponseEntity<T> replay(Caller caller, String key, String fingerprint, Class<T> bodyType) {
        StoredAnswer stored = jdbc.sql("""
                select request_fingerprint, response_status, response_headers, response_body
                from idempotency_keys where caller = :caller and idempotency_key = :key
                """)
                .param("caller", caller.subject())
                .param("key", key)
                .query((row, index) -> new StoredAnswer(row.getString(1), row.getInt(2), row.getString(3),
                        row.getString(4)))
                .single();
        if (!stored.fingerprint().equals(fingerprint)) {
            throw new IdempotencyKeyReused(key);
        }
        HttpHeaders headers = new HttpHeaders();
        json.readValue(stored.headers(), HEADER_MAP).forEach(headers::set);
        headers.set(REPLAYED_HEADER, "true");
        T body = stored.body() == null ? null : json.readValue(stored.body(), bodyType);
        return ResponseEntity.status(stored.status()).headers(headers).body(body);
    }

    private void store(Caller caller, String key, ResponseEntity<?> response) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : new String[] {HttpHeaders.LOCATION, HttpHeaders.ETAG}) {
            String value = response.getHeaders().getFirst(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        jdbc.sql("""
                update idempotency_keys
                set response_status = :status, response_headers = cast(:headers as jsonb), response_body = :body
                where caller = :caller and idempotency_key = :key
                """)
                .param("status", response.getStatusCode().value())
                .param("headers", json.writeValueAsString(headers))
                .param("body", response.getBody() == null ? null : json.writeValueAsString(response.getBody()))
                .param("caller", caller.subject())
                .param("key", key)
                .update();
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
