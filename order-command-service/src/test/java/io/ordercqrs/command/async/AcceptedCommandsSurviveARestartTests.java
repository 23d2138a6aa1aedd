package io.ordercqrs.command.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordercqrs.command.CommandApi;
import io.ordercqrs.command.CommandServiceTest;
import io.ordercqrs.command.OrderCommandServiceApplication;
import io.ordercqrs.testsupport.ApiClient.Response;
import io.ordercqrs.testsupport.RealServersInitializer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A command accepted with {@code Prefer: respond-async} is stored before the 202: when the
 * instance that accepted it never runs it (its workers are stopped, as in a crash right after the
 * answer), a command service started afterwards runs it, and its status says so on every instance.
 */
@CommandServiceTest
class AcceptedCommandsSurviveARestartTests {

    @LocalServerPort
    int port;

    @Autowired
    AcceptedCommandRunner runner;

    ConfigurableApplicationContext restarted;

    @AfterEach
    void restoreTheWorkers() {
        if (restarted != null) {
            restarted.close();
        }
        runner.start();
    }

    @Test
    void aCommandAcceptedBeforeARestartRunsAfterIt() {
        CommandApi api = new CommandApi(port);
        CommandApi.Customer customer = api.registerCustomer();
        runner.stop();

        Response accepted = api.post(customer.token(), "/orders", CommandApi.orderBody(null),
                Map.of("Prefer", "respond-async"));

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(api.http.get(customer.token(), accepted.header("Location")).text("/state")).isEqualTo("pending");

        restarted = new SpringApplicationBuilder(OrderCommandServiceApplication.class)
                .initializers(new RealServersInitializer())
                .properties("server.port=0")
                .run();

        Response done = await().atMost(Duration.ofSeconds(30)).until(
                () -> api.http.get(customer.token(), accepted.header("Location")),
                status -> status.text("/state").equals("done"));
        assertThat(done.body().at("/result/status").asInt()).isEqualTo(201);
        assertThat(api.http.get(customer.token(), done.body().at("/result/location").asString()).status())
                .isEqualTo(200);
    }
}
