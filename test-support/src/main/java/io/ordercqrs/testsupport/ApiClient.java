package io.ordercqrs.testsupport;

import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls a service under test over real HTTP, as a client would, and hands back status, headers and
 * JSON body whatever the status, so tests can assert on refusals as easily as on successes.
 */
public final class ApiClient {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final RestClient client;
    private final int port;

    public ApiClient(int port) {
        this.client = RestClient.builder().baseUrl("http://localhost:" + port).build();
        this.port = port;
    }

    /** What came back. {@code body} is {@code null} for an empty body. */
    public record Response(int status, HttpHeaders headers, JsonNode body) {

        public String header(String name) {
            return headers.getFirst(name);
        }

        /** The body's text at a JSON pointer such as {@code /status}, or {@code null}. */
        public String text(String pointer) {
            JsonNode node = body == null ? null : body.at(pointer);
            return node == null || node.isMissingNode() || node.isNull() ? null : node.asString();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Response get(String token, String path) {
        return call(HttpMethod.GET, token, path, null, Map.of());
    }

    public Response post(String token, String path, Object body) {
        return call(HttpMethod.POST, token, path, body, Map.of());
    }

    public Response put(String token, String path, Object body) {
        return call(HttpMethod.PUT, token, path, body, Map.of());
    }

    public Response delete(String token, String path) {
        return call(HttpMethod.DELETE, token, path, null, Map.of());
    }

    /**
     * Any call. A {@code String} body is sent as-is as JSON; other bodies are serialized.
     *
     * @param token bearer token, or {@code null} for an anonymous call
     */
    public Response call(HttpMethod method, String token, String path, Object body, Map<String, String> headers) {
        HttpHeaders sent = new HttpHeaders();
        RestClient.RequestBodySpec request = client.method(method).uri(path).headers(h -> {
            if (token != null) {
                h.setBearerAuth(token);
            }
            headers.forEach(h::set);
            sent.addAll(h);
        });
        String json = body == null ? null : body instanceof String text ? text : JSON.writeValueAsString(body);
        if (json != null) {
            sent.setContentType(MediaType.APPLICATION_JSON);
            request.contentType(MediaType.APPLICATION_JSON).body(json);
        }
        Response response = request.exchange((req, res) -> {
            byte[] bytes = res.getBody().readAllBytes();
            JsonNode answer = bytes.length == 0 ? null : parse(bytes);
            if (ApiConformance.covers(path)) {
                ApiConformance.check(port, method, path, sent, json, res.getStatusCode().value(), res.getHeaders(),
                        bytes);
            }
            return new Response(res.getStatusCode().value(), res.getHeaders(), answer);
        });
        return response;
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        }
        catch (RuntimeException notJson) {
            return JSON.getNodeFactory().stringNode(new String(bytes));
        }
    }
}
