package io.ordercqrs.command.outbox;

/**
 * A relay alone in its own JVM, so a test can kill it like a crashed process.
 * Arguments: JDBC URL, user, password, Kafka bootstrap servers, mode ({@code POLLING} or
 * {@code CDC}), replication slot name.
 */
public final class RelayMain {

    private RelayMain() {
    }

    public static void main(String[] args) throws Exception {
        RelaySettings settings = RelayTestBed.inMode(RelayTestBed.settings(), RelaySettings.Mode.valueOf(args[4]),
                args[5]);
        Relay relay = RelayTestBed.relay(settings, args[0], args[1], args[2], args[3],
                RecordSender.producers(RelayTestBed.producerConfig(args[3])), "relay-child");
        relay.start();
        System.out.println("relay started");
        Thread.currentThread().join();
    }
}
