package io.ordercqrs.query;

import io.ordercqrs.testsupport.RealServersInitializer;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole query service on a random port, consuming the real Kafka broker into the MongoDB
 * stand-in of this test JVM. Retries are quick and waits short, so failure paths finish fast; a
 * replaced view generation is dropped a second after the switch; streams beat every 200 ms. Finished spans are kept in memory
 * ({@link RecordedSpans}).
 * All classes using it share one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ordercqrs.projection.initial-backoff=50ms",
        "ordercqrs.query.max-wait=1500ms",
        "ordercqrs.generations.follow-every=200ms",
        "ordercqrs.generations.retire-after=1s",
        "management.opentelemetry.tracing.export.schedule-delay=50ms",
        "ordercqrs.streams.heartbeat-every=200ms"})
@Import(RecordedSpans.class)
@ContextConfiguration(initializers = RealServersInitializer.class)
public @interface QueryServiceTest {
}
