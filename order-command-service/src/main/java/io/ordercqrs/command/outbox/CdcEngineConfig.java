package io.ordercqrs.command.outbox;

import java.net.URI;
import java.util.Properties;

/**
 * The Debezium engine's configuration for the outbox: the PostgreSQL connector with the
 * {@code pgoutput} plugin on the relay's slot and a publication of the outbox tables only, inserts
 * only, and the engine's position in {@code outbox_cdc_offsets}, written after every batch (and a
 * batch is finished only once Kafka acknowledged it).
 *
 * <p>On the first start (no position stored) the engine takes a snapshot consistent with the slot
 * it creates: the rows after each slot's position that are not set aside, so what the polling relay
 * had not published when the mode changed is published first, in id order.
 */
final class CdcEngineConfig {

    private static final String OUTBOX = "public.outbox";
    private static final String MARKS = "public.outbox_cdc_marks";

    private CdcEngineConfig() {
    }

    /**
     * The engine's properties.
     *
     * @param jdbcUrl          the command service's database ({@code jdbc:postgresql://host:port/database})
     * @param bootstrapServers Kafka, which the engine itself never writes to (Kafka Connect wants it set)
     */
    static Properties of(String jdbcUrl, String user, String password, String bootstrapServers,
            RelaySettings settings) {
        Database database = Database.of(jdbcUrl);
        RelaySettings.Cdc cdc = settings.cdc();
        Properties config = new Properties();
        config.setProperty("name", "ordercqrs-outbox");
        config.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.setProperty("topic.prefix", "ordercqrs");
        config.setProperty("bootstrap.servers", bootstrapServers == null ? "localhost:9092" : bootstrapServers);
        config.setProperty("database.hostname", database.host());
        config.setProperty("database.port", Integer.toString(database.port()));
        config.setProperty("database.dbname", database.name());
        config.setProperty("database.user", user == null ? "" : user);
        config.setProperty("database.password", password == null ? "" : password);
        config.setProperty("plugin.name", "pgoutput");
        config.setProperty("slot.name", cdc.slotName());
        config.setProperty("publication.name", cdc.publicationName());
        config.setProperty("publication.autocreate.mode", "filtered");
        config.setProperty("table.include.list", OUTBOX + "," + MARKS);
        // Neither is in the log the same way on every version, and the relay needs neither; a mark's
        // snapshot is read from its table once the mark is back (Debezium has no type for it).
        config.setProperty("column.exclude.list", OUTBOX + ".txid," + OUTBOX + ".slot," + MARKS + ".snapshot");
        config.setProperty("skipped.operations", "u,d,t");
        config.setProperty("tombstones.on.delete", "false");
        config.setProperty("snapshot.mode", "initial");
        // The snapshot reads in the slot's exported snapshot: no table lock needed for consistency.
        config.setProperty("snapshot.locking.mode", "none");
        config.setProperty("snapshot.include.collection.list", OUTBOX);
        config.setProperty("snapshot.select.statement.overrides", OUTBOX);
        config.setProperty("snapshot.select.statement.overrides." + OUTBOX, """
                select o.* from public.outbox o join public.outbox_positions p on p.slot = o.slot
                 where (o.txid, o.id) > (p.txid, p.id)
                   and not exists (select 1 from public.outbox_held h where h.id = o.id)
                 order by o.id""".replace('\n', ' '));
        // A batch is acknowledged as a whole before the next one comes: larger batches than polling's
        // reads keep Kafka busy (one record per aggregate is in flight at a time).
        config.setProperty("max.batch.size", Integer.toString(settings.batchSize() * 4));
        config.setProperty("max.queue.size", Integer.toString(settings.batchSize() * 16));
        // Hand over what arrived within the poll interval rather than waiting for a full batch.
        config.setProperty("poll.interval.ms", Long.toString(Math.max(1, cdc.pollInterval().toMillis())));
        config.setProperty("status.update.interval.ms", "1000");
        config.setProperty("offset.storage", "io.debezium.storage.jdbc.offset.JdbcOffsetBackingStore");
        config.setProperty("offset.storage.jdbc.connection.url", jdbcUrl);
        config.setProperty("offset.storage.jdbc.connection.user", user == null ? "" : user);
        config.setProperty("offset.storage.jdbc.connection.password", password == null ? "" : password);
        config.setProperty("offset.storage.jdbc.table.name", "outbox_cdc_offsets");
        config.setProperty("offset.flush.interval.ms", "0");
        config.setProperty("offset.flush.timeout.ms", Long.toString(settings.sendTimeout().toMillis()));
        return config;
    }

    /** Where the database is, read from its JDBC URL. */
    record Database(String host, int port, String name) {

        static Database of(String jdbcUrl) {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("The cdc relay needs a jdbc:postgresql://host:port/database URL, not "
                        + jdbcUrl);
            }
            URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
            String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
            if (uri.getHost() == null || path.isEmpty()) {
                throw new IllegalArgumentException("The cdc relay needs one host and a database name in " + jdbcUrl);
            }
            return new Database(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), path);
        }
    }
}
