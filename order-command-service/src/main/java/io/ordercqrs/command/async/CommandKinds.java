package io.ordercqrs.command.async;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.ordercqrs.service.security.Caller;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The kinds of command the features registered, by name, and the stored form of their commands:
 * JSON of the command's fields (not its methods), so any command record or value the aggregates
 * take can wait in the table without being shaped for the wire.
 */
@Component
class CommandKinds {

    private final Map<String, CommandKind<?, ?>> kinds = new ConcurrentHashMap<>();
    private final JsonMapper storedForm;

    CommandKinds(JsonMapper json) {
        this.storedForm = json.rebuild()
                .changeDefaultVisibility(visibility -> visibility.withFieldVisibility(JsonAutoDetect.Visibility.ANY)
                        .withGetterVisibility(JsonAutoDetect.Visibility.NONE)
                        .withIsGetterVisibility(JsonAutoDetect.Visibility.NONE))
                .build();
    }

    void add(CommandKind<?, ?> kind) {
        if (kinds.putIfAbsent(kind.name(), kind) != null) {
            throw new IllegalStateException("Two kinds of command are named " + kind.name());
        }
    }

    /** The names of the kinds this instance can run. */
    Set<String> names() {
        return Set.copyOf(kinds.keySet());
    }

    String write(Object command) {
        return storedForm.writeValueAsString(command);
    }

    /** Runs a stored command as its caller. */
    ResponseEntity<?> run(String kind, String command, Caller caller) {
        CommandKind<?, ?> known = kinds.get(kind);
        if (known == null) {
            throw new IllegalStateException("No kind of command is named " + kind);
        }
        return run(known, command, caller);
    }

    private <C> ResponseEntity<?> run(CommandKind<C, ?> kind, String command, Caller caller) {
        return kind.handler().apply(storedForm.readValue(command, kind.type()), caller);
    }
}
