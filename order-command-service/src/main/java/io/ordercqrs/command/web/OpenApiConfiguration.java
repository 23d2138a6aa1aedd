package io.ordercqrs.command.web;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.ordercqrs.service.web.ApiDocumentation;
import io.swagger.v3.oas.models.PathItem;
import java.util.Set;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.PropertyCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Describes the API for {@code /v3/api-docs} and the browsable UI at {@code /swagger-ui.html}. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info = @Info(title = "order-command-service", version = "v1", description = """
                Task-based commands for customers and orders. Every change answers with the aggregate's new \
                version in the body and as ETag; send it back as If-Match to refuse a change on stale data. \
                POSTs accept an Idempotency-Key. Errors are RFC 9457 problem details."""),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
class OpenApiConfiguration {

    /**
     * Besides the problems every operation may answer: a change may conflict (409), miss its
     * If-Match (412), break a business rule (422); anything may find PostgreSQL away (503).
     */
    @Bean
    GlobalOpenApiCustomizer commandProblems() {
        return ApiDocumentation.problems((method, path) -> {
            boolean change = method != PathItem.HttpMethod.GET && !path.startsWith("/admin");
            return change ? Set.of(409, 412, 422, 503) : Set.of(503);
        });
    }

    @Bean
    PropertyCustomizer nullableAndNonBlankProperties() {
        return ApiDocumentation.properties();
    }
}
