package io.ordercqrs.service.web;

import io.ordercqrs.service.security.Caller;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.lang.annotation.Annotation;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.PropertyCustomizer;
import org.springdoc.core.utils.SpringDocUtils;

/**
 * What makes both services' {@code /v3/api-docs} describe the answers they really give:
 * <ul>
 * <li>the caller is the bearer token, never a parameter ({@link Caller} is hidden);</li>
 * <li>answers are {@code application/json}, refusals {@code application/problem+json} with the
 * {@code Problem} schema (RFC 9457, with {@code errors} naming each invalid field): 400 where
 * there is input, 401 and 403 everywhere, 404 where a path names something, 413 where there is a
 * body, plus what each service adds per operation;</li>
 * <li>a field without {@code @NotNull} is optional and, where it is a plain value, nullable
 * (answers omit fields without a value), and a {@code @NotBlank} field has {@code minLength: 1}.</li>
 * </ul>
 */
public final class ApiDocumentation {

    /** The schema of every refusal. */
    public static final String PROBLEM = "Problem";

    private static final Map<Integer, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry(400, "Invalid input; errors name each field"),
            Map.entry(401, "No valid access token"),
            Map.entry(403, "The caller's role or identity does not allow this"),
            Map.entry(404, "Not found (or not the caller's)"),
            Map.entry(409, "Conflicts with the current state"),
            Map.entry(412, "If-Match names a version that is not the current one"),
            Map.entry(413, "The body is larger than the limit"),
            Map.entry(500, "Failed unexpectedly; nothing was changed"),
            Map.entry(422, "Well-formed but refused by a business rule"),
            Map.entry(429, "Too many at once (for example open streams); see Retry-After"),
            Map.entry(502, "A service this one depends on did not answer"),
            Map.entry(503, "A server this service depends on did not answer in time; see Retry-After"));

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class)
                // Jackson 3's tree is free-form JSON, not a bean to introspect.
                .replaceWithSchema(JsonNode.class, new ObjectSchema().additionalProperties(true)
                        .description("Free-form JSON"));
    }

    private ApiDocumentation() {
    }

    /**
     * The customizer adding the problem answers.
     *
     * @param extra per operation (HTTP method and path), further problem statuses it answers
     */
    public static GlobalOpenApiCustomizer problems(BiFunction<PathItem.HttpMethod, String, Set<Integer>> extra) {
        return openApi -> {
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            openApi.setComponents(components);
            components.addSchemas("FieldProblem", new ObjectSchema()
                    .addProperty("field", new StringSchema().description("The invalid field, as sent"))
                    .addProperty("message", new StringSchema().description("What is wrong with it"))
                    .required(List.of("field", "message")));
            components.addSchemas(PROBLEM, new ObjectSchema()
                    .description("RFC 9457 problem details")
                    .addProperty("type", new StringSchema().format("uri"))
                    .addProperty("title", new StringSchema())
                    .addProperty("status", new IntegerSchema())
                    .addProperty("detail", new StringSchema())
                    .addProperty("instance", new StringSchema().format("uri-reference"))
                    .addProperty("errors", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/FieldProblem")))
                    .required(List.of("type", "title", "status")));
            // Problems may carry more members (RFC 9457), such as currentVersion or orderStatus.
            components.getSchemas().get(PROBLEM).setAdditionalProperties(true);
            // Free-form JSON (an event's payload, a letter's headers): an object without declared
            // members takes any.
            if (components.getSchemas() != null) {
                for (Schema<?> schema : components.getSchemas().values()) {
                    if (schema.getProperties() != null) {
                        for (Schema<?> property : schema.getProperties().values()) {
                            freeForm(property);
                        }
                    }
                }
            }
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                jsonOnly(operation);
                if (operation.getResponses() != null) {
                    operation.getResponses().values().stream().filter(response -> response.getContent() != null)
                            .flatMap(response -> response.getContent().values().stream())
                            .filter(media -> media.getSchema() != null)
                            .forEach(media -> freeForm(media.getSchema()));
                }
                Set<Integer> statuses = new java.util.TreeSet<>(List.of(401, 403, 500));
                boolean hasInput = operation.getRequestBody() != null
                        || (operation.getParameters() != null && !operation.getParameters().isEmpty());
                if (hasInput) {
                    statuses.add(400);
                }
                if (path.contains("{")) {
                    statuses.add(404);
                }
                if (operation.getRequestBody() != null) {
                    statuses.add(413);
                }
                statuses.addAll(extra.apply(method, path));
                ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
                operation.setResponses(responses);
                for (int status : statuses) {
                    responses.putIfAbsent(Integer.toString(status), problem(status));
                }
                if (method == PathItem.HttpMethod.GET && path.contains("{")) {
                    responses.putIfAbsent("304", new ApiResponse()
                            .description("Not modified: If-None-Match names the current version"));
                }
                sort(responses);
            }));
        };
    }

    /** The customizer of properties: nullable where {@code null} may be answered, {@code minLength} for non-blank. */
    public static PropertyCustomizer properties() {
        return (property, type) -> {
            Annotation[] annotations = type.getCtxAnnotations() == null ? new Annotation[0] : type.getCtxAnnotations();
            boolean notBlank = Arrays.stream(annotations).anyMatch(NotBlank.class::isInstance);
            boolean required = notBlank || Arrays.stream(annotations)
                    .anyMatch(a -> a instanceof NotNull || a instanceof NotEmpty);
            if (notBlank && (property.getMinLength() == null || property.getMinLength() < 1)) {
                property.setMinLength(1);
            }
            if (type.getType() instanceof Class<?> raw && (JsonNode.class.isAssignableFrom(raw)
                    || Map.class.isAssignableFrom(raw))) {
                // Free-form JSON (an event's payload, headers): any members.
                property.setAdditionalProperties(true);
            }
            boolean primitive = type.getType() instanceof Class<?> raw && raw.isPrimitive();
            if (required || primitive) {
                return property;
            }
            if (property.get$ref() != null) {
                // Not required: absent when it has no value (the services omit nulls from answers).
                return property;
            }
            property.setNullable(true);
            return property;
        };
    }

    private static void freeForm(Schema<?> property) {
        if ("object".equals(property.getType()) && property.get$ref() == null && property.getProperties() == null
                && property.getAdditionalProperties() == null) {
            property.setAdditionalProperties(true);
        }
        if (property.getItems() != null) {
            freeForm(property.getItems());
        }
    }

    private static void jsonOnly(Operation operation) {
        if (operation.getResponses() != null) {
            operation.getResponses().values().forEach(response -> {
                Content content = response.getContent();
                if (content != null && content.containsKey("*/*")) {
                    MediaType media = content.remove("*/*");
                    content.addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE, media);
                }
            });
        }
    }

    private static ApiResponse problem(int status) {
        return new ApiResponse().description(DESCRIPTIONS.getOrDefault(status, "Refused"))
                .content(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
    }

    private static void sort(ApiResponses responses) {
        Map<String, ApiResponse> sorted = new TreeMap<>(responses);
        responses.clear();
        responses.putAll(sorted);
    }
}
