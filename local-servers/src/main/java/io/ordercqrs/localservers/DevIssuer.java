package io.ordercqrs.localservers;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A development-only OAuth2 token issuer: it publishes OpenID Connect discovery and a JWK set, so
 * the services validate its tokens exactly as they validate a production issuer's, and it mints
 * signed JWTs on request. It listens on the loopback interface only (in containers, on the
 * container's network) and must never run in production.
 *
 * <p>{@code POST /token} with form fields {@code subject} and {@code role} ({@code customer} or
 * {@code ops}) answers {@code {"access_token": "...", "token_type": "Bearer", "expires_in": ...}}.
 * A service registered with {@link #registerClient} gets its own token the standard way instead:
 * {@code grant_type=client_credentials}, authenticated by its id and secret (HTTP Basic, or the
 * form fields {@code client_id} and {@code client_secret}); the token's subject is the client id
 * and its role the one registered.
 */
public final class DevIssuer implements AutoCloseable {

    /** The audience every token is minted for, and the services expect by default. */
    public static final String AUDIENCE = "ordercqrs";
    /** The claim holding the caller's roles. */
    public static final String ROLES_CLAIM = "roles";

    private static final Set<String> ROLES = Set.of("customer", "ops");
    private static final Duration CLIENT_TOKEN_VALIDITY = Duration.ofHours(1);

    private final RSAKey key;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final String issuer;

    private DevIssuer(RSAKey key, InetAddress bind, int port, String publicIssuer) throws IOException {
        this.key = key;
        this.server = HttpServer.create(new InetSocketAddress(bind, FreePorts.orNext(port)), 0);
        this.issuer = publicIssuer != null ? publicIssuer : "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/.well-known/openid-configuration", exchange -> respond(exchange, 200, discovery()));
        server.createContext("/jwks", exchange -> respond(exchange, 200, new JWKSet(key.toPublicJWK()).toString()));
        server.createContext("/token", this::token);
        server.start();
    }

    /**
     * Starts an issuer.
     *
     * @param keyFile where the signing key is kept between runs; {@code null} for a fresh key
     * @param port    the port to listen on, or 0 for any free one
     */
    public static DevIssuer start(Path keyFile, int port) {
        try {
            return new DevIssuer(loadOrCreateKey(keyFile), InetAddress.getLoopbackAddress(), port, null);
        }
        catch (IOException e) {
            throw new UncheckedIOException("The development issuer did not start", e);
        }
    }

    /**
     * Starts an issuer that other containers reach, as in the Docker Compose run: it listens on all
     * interfaces and names itself {@code issuerUri}, the address the services use.
     */
    public static DevIssuer startForContainers(Path keyFile, int port, String issuerUri) {
        try {
            return new DevIssuer(loadOrCreateKey(keyFile), InetAddress.getByName("0.0.0.0"), port, issuerUri);
        }
        catch (IOException e) {
            throw new UncheckedIOException("The development issuer did not start", e);
        }
    }

    /** The issuer URI ({@code iss}); its OpenID Connect discovery document lives below it. */
    public String issuerUri() {
        return issuer;
    }

    /** A token for a customer (subject = customer id) or for ops, valid for the given time. */
    public String mint(String subject, String role, Duration validity) {
        Instant now = Instant.now();
        return sign(claims(subject, List.of(role), now, now.plus(validity)).build());
    }

    /**
     * Registers a service that gets tokens with the client-credentials grant: {@code role} for
     * subject {@code clientId}, to whoever presents {@code secret}.
     */
    public void registerClient(String clientId, String secret, String role) {
        clients.put(clientId, new Client(secret, role));
    }

    /** The usual claims of this issuer's tokens, for tests that need to change one of them. */
    public JWTClaimsSet.Builder claims(String subject, List<String> roles, Instant issuedAt, Instant expiresAt) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience(AUDIENCE)
                .claim(ROLES_CLAIM, roles)
                .issueTime(Date.from(issuedAt))
                .notBeforeTime(Date.from(issuedAt))
                .expirationTime(Date.from(expiresAt))
                .jwtID(UUID.randomUUID().toString());
    }

    /** Signs the claims with this issuer's key. */
    public String sign(JWTClaimsSet claims) {
        return sign(claims, key);
    }

    /** Signs the claims with another key that claims this issuer's key id; for tests of forged tokens. */
    public static String sign(JWTClaimsSet claims, RSAKey signingKey) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
                    claims);
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        }
        catch (JOSEException e) {
            throw new IllegalStateException("Could not sign a token", e);
        }
    }

    /** A new RSA key with this issuer's key id, which the services do not trust. */
    public RSAKey impostorKey() {
        return generateKey(key.getKeyID());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void token(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "{\"error\":\"use POST\"}");
            return;
        }
        Map<String, String> form = parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if ("client_credentials".equals(form.get("grant_type"))) {
            clientToken(exchange, form);
            return;
        }
        String subject = form.getOrDefault("subject", "").trim();
        String role = form.getOrDefault("role", "").trim();
        if (subject.isEmpty() || !ROLES.contains(role)) {
            respond(exchange, 400, "{\"error\":\"invalid_request\",\"error_description\":"
                    + "\"give 'subject' and 'role' (customer or ops)\"}");
            return;
        }
        Duration validity = Duration.ofHours(8);
        respond(exchange, 200, "{\"access_token\":\"" + mint(subject, role, validity)
                + "\",\"token_type\":\"Bearer\",\"expires_in\":" + validity.toSeconds() + "}");
    }

    private void clientToken(HttpExchange exchange, Map<String, String> form) throws IOException {
        String[] credentials = clientCredentials(exchange, form);
        Client client = credentials == null ? null : clients.get(credentials[0]);
        if (client == null || !MessageDigest.isEqual(client.secret().getBytes(StandardCharsets.UTF_8),
                credentials[1].getBytes(StandardCharsets.UTF_8))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"token\"");
            respond(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        respond(exchange, 200, "{\"access_token\":\"" + mint(credentials[0], client.role(), CLIENT_TOKEN_VALIDITY)
                + "\",\"token_type\":\"Bearer\",\"expires_in\":" + CLIENT_TOKEN_VALIDITY.toSeconds() + "}");
    }

    /** The client's id and secret, from HTTP Basic (each form-encoded, RFC 6749 2.3.1) or the form. */
    private static String[] clientCredentials(HttpExchange exchange, Map<String, String> form) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
            }
            catch (IllegalArgumentException notBase64) {
                return null;
            }
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {
                    URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        }
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        return id == null || secret == null ? null : new String[] {id, secret};
    }

    private String discovery() {
        return "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\",\"token_endpoint\":\"" + issuer
                + "/token\",\"response_types_supported\":[\"token\"],\"subject_types_supported\":[\"public\"],"
                + "\"id_token_signing_alg_values_supported\":[\"RS256\"],"
                + "\"grant_types_supported\":[\"client_credentials\"],"
                + "\"token_endpoint_auth_methods_supported\":[\"client_secret_basic\",\"client_secret_post\"]}";
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static RSAKey loadOrCreateKey(Path keyFile) throws IOException {
        if (keyFile == null) {
            return generateKey(UUID.randomUUID().toString());
        }
        if (Files.exists(keyFile)) {
            try {
                return RSAKey.parse(Files.readString(keyFile));
            }
            catch (ParseException e) {
                throw new IOException("Unreadable key in " + keyFile, e);
            }
        }
        RSAKey key = generateKey(UUID.randomUUID().toString());
        Files.createDirectories(keyFile.toAbsolutePath().getParent());
        Files.writeString(keyFile, key.toJSONString());
        return key;
    }

    private static RSAKey generateKey(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        }
        catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Client(String secret, String role) {
    }
}
