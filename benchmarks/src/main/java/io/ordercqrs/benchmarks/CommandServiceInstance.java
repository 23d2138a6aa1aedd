package io.ordercqrs.benchmarks;

import io.ordercqrs.command.OrderCommandServiceApplication;
import io.ordercqrs.testsupport.RealServers;
import io.ordercqrs.testsupport.TestTokens;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the command service in this JVM against the real servers. */
final class CommandServiceInstance {

    private CommandServiceInstance() {
    }

    static ConfigurableApplicationContext start(boolean web, boolean relay) {
        return start(web, relay, "polling");
    }

    /** With the relay in the given mode ({@code polling} or {@code cdc}). */
    static ConfigurableApplicationContext start(boolean web, boolean relay, String relayMode) {
        RealServers servers = RealServers.get();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", servers.jdbcUrl());
        properties.put("spring.datasource.username", servers.jdbcUsername());
        properties.put("spring.datasource.password", servers.jdbcPassword());
        properties.put("spring.kafka.bootstrap-servers", servers.kafkaBootstrapServers());
        properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestTokens.issuerUri());
        properties.put("server.port", 0);
        properties.put("ordercqrs.outbox.relay.enabled", relay);
        properties.put("ordercqrs.outbox.relay.mode", relayMode);
        properties.put("logging.level.root", "WARN");
        properties.put("logging.level.io.ordercqrs.command.outbox.OutboxRelay",
                System.getProperty("relay.log.level", "INFO"));
        properties.put("logging.level.io.ordercqrs.command.outbox.CdcRelay",
                System.getProperty("relay.log.level", "INFO"));
        // As arguments, so they override application.yml like an operator's settings would.
        String[] arguments = properties.entrySet().stream()
                .map(setting -> "--" + setting.getKey() + "=" + setting.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(OrderCommandServiceApplication.class)
                .web(web ? WebApplicationType.SERVLET : WebApplicationType.NONE)
                .run(arguments);
    }
}
