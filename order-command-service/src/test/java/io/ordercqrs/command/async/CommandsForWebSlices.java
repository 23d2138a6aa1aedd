package io.ordercqrs.command.async;

import static org.mockito.Mockito.mock;

import io.ordercqrs.command.outbox.TraceContexts;
import io.ordercqrs.command.web.IdempotentRequests;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link Commands} for a {@code @WebMvcTest} of a feature's controller: commands run at once,
 * through whatever {@link IdempotentRequests} the slice provides; accepting them for later needs
 * the database and is tested against it ({@code AsyncCommandsTests}).
 */
@TestConfiguration(proxyBeanMethods = false)
public class CommandsForWebSlices {

    @Bean
    Commands commands(JsonMapper json, IdempotentRequests idempotency) {
        return new Commands(new CommandKinds(json), mock(AcceptedCommands.class), mock(AcceptedCommandRunner.class),
                idempotency, mock(TraceContexts.class));
    }
}
