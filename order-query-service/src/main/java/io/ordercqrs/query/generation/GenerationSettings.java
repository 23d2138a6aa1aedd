package io.ordercqrs.query.generation;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How instances follow the view generations, under {@code ordercqrs.generations}.
 *
 * @param followEvery    how often each instance reads the generations: follows a switch, starts and
 *                       stops consumers, measures a rebuild and switches it in once it has caught up
 * @param retireAfter    how long a replaced generation keeps consuming, for instances still reading it,
 *                       before it is dropped
 * @param batchSize      records a consumer fetches at once (larger batches fold more events into
 *                       each document write)
 * @param abandonedAfter how long the rebuild lock may be held with no rebuild under way (an
 *                       instance died while starting one) before it is freed
 * @param historyLease   how long a rebuild from the command side's history may go without news
 *                       from the instance reading it (it renews the lease with every page) before
 *                       another instance goes on with it, or, with no credential of the query
 *                       service's own for the command side, before it fails
 * @param keepEnded      how many ended generations stay listed
 * @param instanceId     a name this instance keeps across restarts (a StatefulSet pod's name), or
 *                       none: with it the instance is a static member of every generation's group
 *                       ({@code group.instance.id}), so a restart within the session timeout gets its
 *                       partitions back without a rebalance of the others
 */
@Validated
@ConfigurationProperties("ordercqrs.generations")
public record GenerationSettings(
        @DefaultValue("500ms") @NotNull Duration followEvery,
        @DefaultValue("30s") @NotNull Duration retireAfter,
        @DefaultValue("1000") @Min(1) @Max(100_000) int batchSize,
        @DefaultValue("60s") @NotNull Duration abandonedAfter,
        @DefaultValue("15s") @NotNull Duration historyLease,
        @DefaultValue("20") @Min(0) int keepEnded,
        @Nullable @Pattern(regexp = "[A-Za-z0-9._-]{1,200}") String instanceId) {
}
