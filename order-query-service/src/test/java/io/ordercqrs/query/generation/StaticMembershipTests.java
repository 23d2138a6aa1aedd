package io.ordercqrs.query.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordercqrs.query.OrderQueryServiceApplication;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.testsupport.RealServersInitializer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * An instance given a name it keeps across restarts (a StatefulSet pod's name) joins the consumer
 * group of the active generation as static members, one per consumer, so a restart within the
 * session timeout takes its partitions back without moving anyone else's.
 */
@QueryServiceTest
class StaticMembershipTests {

    @Autowired
    Generations generations;

    @Autowired
    GenerationSupervisor supervisor;

    @Autowired
    KafkaAdmin kafkaAdmin;

    @Test
    void anInstanceWithAStableNameJoinsTheActiveGenerationsGroupAsStaticMembers() throws Exception {
        long active = generations.pointer().active();
        String group = supervisor.groupOf(active);
        List<String> expected = List.of("query-7-g" + active + "-0", "query-7-g" + active + "-1",
                "query-7-g" + active + "-2");
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            try (ConfigurableApplicationContext named = new SpringApplicationBuilder(OrderQueryServiceApplication.class)
                    .initializers(new RealServersInitializer())
                    // A session timeout this test outlasts: with the default 6 s the members could
                    // expire while the instance closes, before ops remove them (a race CI once lost).
                    .properties("server.port=0", "ordercqrs.generations.instance-id=query-7",
                            "ordercqrs.projection.concurrency=3",
                            "spring.kafka.consumer.properties.session.timeout.ms=120000")
                    .run()) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get().members())
                        .extracting(MemberDescription::groupInstanceId)
                        .containsAll(expected.stream().map(Optional::of).toList())
                        .as("this instance's own consumers stay dynamic members")
                        .contains(Optional.empty()));
            }
            // A static member does not leave on close; an instance scaled away for good is removed
            // by ops (or by the session timeout), which hands its partitions over at once.
            admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions(
                    expected.stream().map(MemberToRemove::new).toList())).all().get();
            assertThat(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get().members())
                    .extracting(MemberDescription::groupInstanceId)
                    .doesNotContainAnyElementsOf(expected.stream().map(Optional::of).toList());
        }
    }
}
