package io.ordercqrs.query.web;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.ordercqrs.service.web.ApiDocumentation;
import java.util.Set;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.PropertyCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Describes the API for {@code /v3/api-docs} and the browsable UI at {@code /swagger-ui.html}. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info = @Info(title = "order-query-service", version = "v1", description = """
                Denormalized order views and customer summaries, projected from the event topics. \
                Pass the version a command answered with as minVersion to read your own write. \
                Ops reach the admin API under /admin. Errors are RFC 9457 problem details."""),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
class OpenApiConfiguration {

    /**
     * Besides the problems every operation may answer: a read-your-writes wait may give up or find
     * the order held behind a dead letter (503, 409); ops actions may find nothing to act on (404),
     * conflict with a rebuild (409) or find the command service away (502); a stream may be one too
     * many (429).
     */
    @Bean
    GlobalOpenApiCustomizer queryProblems() {
        return ApiDocumentation.problems((method, path) -> path.startsWith("/admin") ? Set.of(404, 409, 502, 503)
                : path.equals("/orders/stream") ? Set.of(429) : Set.of(409, 503));
    }

    @Bean
    PropertyCustomizer nullableAndNonBlankProperties() {
        return ApiDocumentation.properties();
    }
}
