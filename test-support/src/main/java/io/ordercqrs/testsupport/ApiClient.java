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

    public ApiClient(int port) {
        this.client = RestClient.builder().baseUrl("http://localhost:" + port).build();
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
        RestClient.RequestBodySpec request = client.method(method).uri(path).headers(h -> {
            if (token != null) {
                h.setBearerAuth(token);
            }
            headers.forEach(h::set);
        });
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON)
                    .body(body instanceof String text ? text : JSON.writeValueAsString(body));
        }
        return request.exchange((req, res) -> {
            byte[] bytes = res.getBody().readAllBytes();
            JsonNode json = bytes.length == 0 ? null : parse(bytes);
            return new Response(res.getStatusCode().value(), res.getHeaders(), json);
        });
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
