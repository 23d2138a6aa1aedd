package io.ordercqrs.command.async;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How commands accepted for later are run, under {@code ordercqrs.async-commands}.
 *
 * @param workers   threads per instance running accepted commands (0 runs none here: this instance
 *                  only accepts them)
 * @param pollEvery how often a worker looks for commands accepted elsewhere (those accepted here
 *                  wake it at once)
 * @param retention how long a command's status answers after it ran; later it is forgotten
 */
@Validated
@ConfigurationProperties("ordercqrs.async-commands")
public record AsyncCommandSettings(
        @DefaultValue("2") @Min(0) @Max(64) int workers,
        @DefaultValue("1s") @NotNull Duration pollEvery,
        @DefaultValue("24h") @NotNull Duration retention) {
}
