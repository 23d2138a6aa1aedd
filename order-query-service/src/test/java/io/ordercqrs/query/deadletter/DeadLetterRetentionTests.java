package io.ordercqrs.query.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.query.QueryServiceTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;

/** Resolved and discarded letters are kept for the configured retention, then removed; open ones stay. */
@QueryServiceTest
class DeadLetterRetentionTests {

    @Autowired
    DeadLetterRetention retention;

    @Autowired
    DeadLetterSettings settings;

    @Autowired
    MongoTemplate mongo;

    @Autowired
    Clock clock;

    @Test
    void removesClosedLettersOlderThanTheRetentionAndKeepsTheRest() {
        Instant expired = clock.instant().minus(settings.retention()).minus(Duration.ofHours(1));
        Instant recent = clock.instant().minus(Duration.ofHours(1));
        DeadLetter oldResolved = letter(DeadLetterStatus.RESOLVED, expired);
        DeadLetter oldDiscarded = letter(DeadLetterStatus.DISCARDED, expired);
        DeadLetter oldButParked = letter(DeadLetterStatus.PARKED, expired);
        DeadLetter recentlyResolved = letter(DeadLetterStatus.RESOLVED, recent);
        List.of(oldResolved, oldDiscarded, oldButParked, recentlyResolved)
                .forEach(letter -> mongo.insert(letter, DeadLetters.COLLECTION));

        long removed = retention.removeExpired();

        assertThat(removed).isGreaterThanOrEqualTo(2);
        assertThat(mongo.findById(oldResolved.id(), DeadLetter.class, DeadLetters.COLLECTION)).isNull();
        assertThat(mongo.findById(oldDiscarded.id(), DeadLetter.class, DeadLetters.COLLECTION)).isNull();
        assertThat(mongo.findById(oldButParked.id(), DeadLetter.class, DeadLetters.COLLECTION))
                .as("open letters wait for ops whatever their age").isNotNull();
        assertThat(mongo.findById(recentlyResolved.id(), DeadLetter.class, DeadLetters.COLLECTION)).isNotNull();
        mongo.remove(oldButParked, DeadLetters.COLLECTION);
    }

    private static DeadLetter letter(DeadLetterStatus status, Instant updatedAt) {
        String key = UUID.randomUUID().toString();
        return new DeadLetter("retention-test-" + key, 999_999, "orders.order.events", 0, 0, key, null, null, List.of(),
                null, status, "Test", "test", 1, null, updatedAt, updatedAt, null);
    }
}
