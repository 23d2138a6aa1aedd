package io.ordercqrs.query.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordercqrs.query.projection.ConcurrentChanges;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.ResourceAccessException;

/** What a reader of the command side's history tries again: passing failures, three attempts at most. */
class HistoryRetriesTests {

    private final HistoryRetries retries = new HistoryRetries(Duration.ofMillis(1));
    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void appliesAPageAgainWhenItsApplyFailedForTheWholeBatch() {
        String done = retries.apply(failingTimes(2, new ConcurrentChanges("The order views", 10)));

        assertThat(done).isEqualTo("done");
        assertThat(calls).hasValue(3);
    }

    @Test
    void givesUpOnAPageAfterThreeAttemptsWithTheLastFailure() {
        ConcurrentChanges failure = new ConcurrentChanges("The order views", 10);

        assertThatThrownBy(() -> retries.apply(failingTimes(3, failure))).isSameAs(failure);
        assertThat(calls).hasValue(3);
    }

    @Test
    void neverAppliesAPageAgainWhenTheFailureIsAboutOneOfItsEvents() {
        IllegalStateException aboutAnEvent = new IllegalStateException("event 3 of order 42 cannot be applied");

        assertThatThrownBy(() -> retries.apply(failingTimes(1, aboutAnEvent))).isSameAs(aboutAnEvent);
        assertThat(calls).hasValue(1);
    }

    @Test
    void readsAPageAgainWhenTheCommandSideDidNotAnswer() {
        String done = retries.read(failingTimes(1, new ResourceAccessException("Connection refused")));

        assertThat(done).isEqualTo("done");
        assertThat(calls).hasValue(2);
    }

    @Test
    void neverReadsAgainWhatTheCommandSideRefused() {
        HttpClientErrorException refused = HttpClientErrorException.create(HttpStatus.FORBIDDEN, "Forbidden", null,
                null, null);

        assertThatThrownBy(() -> retries.read(failingTimes(1, refused))).isSameAs(refused);
        assertThat(calls).hasValue(1);
    }

    /** Fails with {@code failure} the first {@code times} calls, then answers. */
    private Supplier<String> failingTimes(int times, RuntimeException failure) {
        return () -> {
            if (calls.incrementAndGet() <= times) {
                throw failure;
            }
            return "done";
        };
    }
}
