package io.ordercqrs.command.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.command.CommandApi;
import io.ordercqrs.command.CommandServiceTest;
import io.ordercqrs.testsupport.TestTokens;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Tokens of the narrow roles reach what their role opens and nothing else: a metrics scraper reads
 * the metrics, and the query service's own token (role {@code history-reader}) the retained
 * history, to rebuild views from it. No other admin page, no change, no API.
 */
@CommandServiceTest
class NarrowRoleTests {

    @LocalServerPort
    int port;

    @Test
    void readsMetricsButNeitherAdminNorTheApi() {
        CommandApi api = new CommandApi(port);
        String scraper = TestTokens.metrics();

        assertThat(api.http.get(scraper, "/actuator/prometheus").status()).isEqualTo(200);
        assertThat(api.http.get(scraper, "/actuator/metrics/ordercqrs.outbox.backlog").status()).isEqualTo(200);
        assertThat(api.http.get(scraper, "/admin/outbox").status()).isEqualTo(403);
        assertThat(api.http.post(scraper, "/admin/outbox/failed/1/retry", null).status()).isEqualTo(403);
        assertThat(api.http.get(scraper, "/actuator/info").status()).isEqualTo(403);
        assertThat(api.placeOrder(scraper).status()).isEqualTo(403);
        assertThat(api.http.get(TestTokens.customer(UUID.randomUUID()), "/actuator/prometheus").status())
                .isEqualTo(403);
    }

    @Test
    void readsTheRetainedHistoryAndNothingElse() {
        CommandApi api = new CommandApi(port);
        String reader = TestTokens.historyReader();
        UUID order = api.placedOrder(api.registerCustomer());

        assertThat(api.http.get(reader, "/admin/outbox/events?limit=5").status()).isEqualTo(200);
        assertThat(api.http.get(reader, "/admin/outbox").status()).isEqualTo(403);
        assertThat(api.http.get(reader, "/admin/outbox/aggregates/" + order + "/events").status()).isEqualTo(403);
        assertThat(api.http.post(reader, "/admin/outbox/aggregates/" + order + "/republish", null).status())
                .isEqualTo(403);
        assertThat(api.http.get(reader, "/admin/snapshot/orders?limit=5").status()).isEqualTo(403);
        assertThat(api.http.get(reader, "/orders/" + order).status()).isEqualTo(403);
        assertThat(api.placeOrder(reader).status()).isEqualTo(403);
        assertThat(api.http.get(reader, "/actuator/prometheus").status()).isEqualTo(403);
        assertThat(api.http.get(TestTokens.customer(UUID.randomUUID()), "/admin/outbox/events?limit=5").status())
                .as("a customer still may not").isEqualTo(403);
    }
}
