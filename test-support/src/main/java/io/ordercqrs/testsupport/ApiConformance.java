package io.ordercqrs.testsupport;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Checks every exchange an {@link ApiClient} makes against the OpenAPI document the service
 * itself serves at {@code /v3/api-docs} (Atlassian's swagger-request-validator): the answer must be
 * one the document describes (status, media type, body schema), and a request the service accepted
 * must be one the document allows. A request refused with a 4xx is not checked against the
 * document, since tests send invalid input on purpose; its answer still is. So a drift between the
 * document and what the service does fails the test that meets it.
 */
final class ApiConformance {

    private static final Map<Integer, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();

    private ApiConformance() {
    }

    /** Whether an exchange on this path is described by the document (the API, not the actuator or the docs). */
    static boolean covers(String path) {
        return !path.startsWith("/actuator") && !path.startsWith("/v3/api-docs") && !path.startsWith("/swagger-ui");
    }

    static void check(int port, HttpMethod method, String pathAndQuery, HttpHeaders requestHeaders, String requestBody,
            int status, HttpHeaders responseHeaders, byte[] responseBody) {
        OpenApiInteractionValidator validator = VALIDATORS.computeIfAbsent(port, ApiConformance::validatorFor);
        URI uri = URI.create(pathAndQuery);
        SimpleRequest.Builder request = new SimpleRequest.Builder(method.name(), uri.getRawPath());
        UriComponentsBuilder.fromUriString(pathAndQuery).build().getQueryParams()
                .forEach((name, values) -> request.withQueryParam(name, values));
        requestHeaders.forEach((name, values) -> request.withHeader(name, values));
        if (requestBody != null) {
            request.withBody(requestBody);
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        responseHeaders.forEach((name, values) -> response.withHeader(name, values));
        if (responseBody.length > 0) {
            response.withBody(new String(responseBody, StandardCharsets.UTF_8));
        }
        ValidationReport report = status >= 200 && status < 300
                ? validator.validate(request.build(), response.build())
                : validator.validateResponse(uri.getRawPath(), Request.Method.valueOf(method.name()), response.build());
        if (report.hasErrors()) {
            throw new AssertionError(method + " " + pathAndQuery + " answered " + status + " differs from the service's "
                    + "/v3/api-docs:\n" + SimpleValidationReportFormat.getInstance().apply(report)
                    + "\nbody: " + new String(responseBody, StandardCharsets.UTF_8));
        }
    }

    private static OpenApiInteractionValidator validatorFor(int port) {
        String document = RestClient.create("http://localhost:" + port).get().uri("/v3/api-docs").retrieve()
                .body(String.class);
        return OpenApiInteractionValidator.createForInlineApiSpecification(document)
                .withLevelResolver(LevelResolver.create()
                        // Security is the service's to check (its own tests do); the document only names the scheme.
                        .withLevel("validation.request.security", ValidationReport.Level.IGNORE)
                        .build())
                .build();
    }
}
