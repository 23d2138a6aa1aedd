package io.ordercqrs.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a Spring Boot application under test at the {@link RealServers}. Use it with
 * {@code @ContextConfiguration(initializers = RealServersInitializer.class)}.
 */
public class RealServersInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        RealServers servers = RealServers.get();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", servers.jdbcUrl());
        properties.put("spring.datasource.username", servers.jdbcUsername());
        properties.put("spring.datasource.password", servers.jdbcPassword());
        properties.put("spring.kafka.bootstrap-servers", servers.kafkaBootstrapServers());
        properties.put("spring.mongodb.uri", servers.mongoUri());
        properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestTokens.issuerUri());
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("realServers", properties));
    }
}
