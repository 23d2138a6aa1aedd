package io.ordercqrs.command.async;

import io.ordercqrs.service.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The status of a command accepted with {@code Prefer: respond-async}, for whoever sent it and for ops. */
@RestController
@RequestMapping("/commands")
@Tag(name = "Commands")
class CommandStatusController {

    private final AcceptedCommands accepted;

    CommandStatusController(AcceptedCommands accepted) {
        this.accepted = accepted;
    }

    @GetMapping("/{id}")
    @Operation(summary = "What became of a command accepted for later",
            description = "pending (see Retry-After), done with the answer the request would have given, or "
                    + "failed with the problem it would have answered. Kept for ordercqrs.async-commands.retention "
                    + "after it ran.")
    ResponseEntity<CommandStatus> status(@PathVariable UUID id, Caller caller) {
        CommandStatus status = accepted.find(id, caller).orElseThrow(() -> new CommandNotFound(id));
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
        if (status.state() == CommandStatus.State.PENDING) {
            answer.header(HttpHeaders.RETRY_AFTER, "1");
        }
        return answer.body(status);
    }
}
