package io.ordercqrs.query.deadletter;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How dead letters are looked after, under {@code ordercqrs.dead-letters}.
 *
 * @param sweepInterval how often held letters whose blocker is gone are released, and old ones removed
 * @param retention     how long a resolved or discarded letter is kept, for the record
 */
@Validated
@ConfigurationProperties("ordercqrs.dead-letters")
public record DeadLetterSettings(
        @DefaultValue("10s") @NotNull Duration sweepInterval,
        @DefaultValue("30d") @NotNull Duration retention) {
}
