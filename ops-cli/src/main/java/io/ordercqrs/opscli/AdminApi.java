package io.ordercqrs.opscli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The query service's admin API over HTTP, with the operator's bearer token. */
final class AdminApi {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    AdminApi(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    JsonNode get(String path, Map<String, Object> query) {
        return send("GET", path + queryString(query), null);
    }

    JsonNode post(String path, Map<String, Object> query, Object body) {
        return send("POST", path + queryString(query), body);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    private JsonNode send(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofMinutes(10))
                .header("Accept", "application/json");
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isBlank() ? null : JSON.readTree(response.body());
            if (response.statusCode() >= 400) {
                String detail = json != null && json.hasNonNull("detail") ? json.get("detail").asString()
                        : response.body();
                throw new AdminApiException(response.statusCode(), detail);
            }
            return json;
        }
        catch (IOException e) {
            throw new AdminApiException(0, "Cannot reach " + baseUrl + ": " + e.getMessage());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminApiException(0, "Interrupted");
        }
    }

    private static String queryString(Map<String, Object> query) {
        Map<String, Object> present = new LinkedHashMap<>();
        query.forEach((key, value) -> {
            if (value != null) {
                present.put(key, value);
            }
        });
        if (present.isEmpty()) {
            return "";
        }
        return "?" + present.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue().toString(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** The API refused or could not be reached. */
    static final class AdminApiException extends RuntimeException {

        final int status;

        AdminApiException(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
