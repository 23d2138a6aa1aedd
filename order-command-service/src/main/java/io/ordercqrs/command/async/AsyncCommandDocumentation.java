package io.ordercqrs.command.async;

import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;

/** Documents {@code Prefer: respond-async} and its 202 on every operation that takes the header. */
@Configuration(proxyBeanMethods = false)
class AsyncCommandDocumentation {

    @Bean
    OperationCustomizer asyncCommandAnswers() {
        return (operation, handler) -> {
            if (operation.getParameters() == null
                    || operation.getParameters().stream().map(Parameter::getName).noneMatch(Commands.PREFER::equals)) {
                return operation;
            }
            operation.getParameters().stream().filter(parameter -> Commands.PREFER.equals(parameter.getName()))
                    .forEach(parameter -> parameter.description("respond-async: do not wait; the command is stored "
                            + "and answered 202 with the Location of its status, then run"));
            operation.getResponses().addApiResponse("202", new ApiResponse()
                    .description("Accepted for later (Prefer: respond-async); Location names its status")
                    .addHeaderObject(HttpHeaders.LOCATION, new Header().schema(new StringSchema()))
                    .addHeaderObject(Commands.PREFERENCE_APPLIED, new Header().schema(new StringSchema()))
                    .content(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                            new MediaType().schema(new Schema<>().$ref("#/components/schemas/CommandStatus")))));
            return operation;
        };
    }
}
