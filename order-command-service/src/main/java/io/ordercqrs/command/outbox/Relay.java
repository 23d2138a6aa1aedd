package io.ordercqrs.command.outbox;

import java.util.Map;
import org.springframework.context.SmartLifecycle;

/**
 * What publishes the outbox to Kafka on this instance: the polling {@link OutboxRelay} or the
 * change-data-capture {@link CdcRelay}, chosen by {@code ordercqrs.outbox.relay.mode}. Both send
 * the same records (topic, key, value, CloudEvents headers) through the same {@link RecordSender}.
 */
public interface Relay extends SmartLifecycle {

    /** What this instance's relay is doing. */
    RelayStatus status();

    /** What health shows beside the status, particular to the mode. */
    default Map<String, Object> details() {
        return Map.of("mode", "polling");
    }
}
