package io.ordercqrs.query.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A rebuild whose history reader stopped (its instance died) where the query service has no token
 * of its own for the command side (none is configured here): no other instance can go on, so the
 * rebuild fails, naming the reader and what to do, and frees the rebuild lock. (With a token of its
 * own another instance goes on: {@code GenerationsSystemTests} on the launched stack.)
 */
@QueryServiceTest
class AbandonedHistoryTests {

    @LocalServerPort
    int port;

    @Autowired
    Generations generations;

    @Autowired
    GenerationSupervisor supervisor;

    @Test
    void failsARebuildWhoseHistoryReaderStoppedWhenNoInstanceHasATokenOfItsOwn() {
        long id = await().atMost(Duration.ofMinutes(2)).until(generations::allocate, OptionalLong::isPresent)
                .getAsLong();
        Instant now = generations.now();
        String deadReader = "4242@gone/0badf00d";
        generations.insert(new Generation(id, GenerationState.BUILDING, supervisor.groupOf(id), "tests", now,
                List.of(), List.of(), Generation.Progress.NONE, 0, false, null, null, null, null, null,
                new Generation.History(false, 1000, "1:2:3", deadReader, now.minusSeconds(1), 1)));

        await().atMost(Duration.ofSeconds(30)).until(() ->
                generations.find(id).orElseThrow().state() == GenerationState.FAILED);
        ApiClient.Response status = new ApiClient(port).get(TestTokens.ops(), "/admin/rebuilds/current");

        assertThat(status.text("/generation")).isEqualTo(Long.toString(id));
        assertThat(status.text("/state")).isEqualTo("FAILED");
        assertThat(status.text("/historyReader")).isEqualTo(deadReader);
        assertThat(status.text("/note")).contains(deadReader).contains("after 1000 events")
                .contains("ordercqrs.command-service.client-id").contains("start the rebuild again");
        assertThat(generations.pointer().rebuilding()).as("the rebuild lock is free").isFalse();
    }
}
