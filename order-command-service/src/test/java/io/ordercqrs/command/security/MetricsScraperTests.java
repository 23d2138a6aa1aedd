package io.ordercqrs.command.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.command.CommandApi;
import io.ordercqrs.command.CommandServiceTest;
import io.ordercqrs.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A metrics scraper's token reads the metrics and nothing else: no admin rights, no API. */
@CommandServiceTest
class MetricsScraperTests {

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
        assertThat(api.http.get(TestTokens.customer(java.util.UUID.randomUUID()), "/actuator/prometheus").status())
                .isEqualTo(403);
    }
}
