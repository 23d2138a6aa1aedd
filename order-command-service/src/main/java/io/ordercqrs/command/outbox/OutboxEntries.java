package io.ordercqrs.command.outbox;

import io.ordercqrs.events.AggregateType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox table as the relay and ops see it. Rows are spread over a fixed number of slots by a
 * hash of their aggregate id, so every row of one aggregate is in the same slot and one relay
 * owning that slot publishes them in order.
 */
public class OutboxEntries {

    /** How many slots the outbox is hashed into; fixed by the schema (the {@code slot} column). */
    public static final int SLOTS = 64;

    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };
    private static final String COLUMNS = """
            id, event_id, aggregate_type, aggregate_id, sequence, event_type, schema_version, payload::text,
            headers::text, occurred_at, published_at, failed_at, last_error, publish_attempts""";

    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.shared();

    public OutboxEntries(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /**
     * The oldest waiting rows of the given slots, in id order, skipping every aggregate that has an
     * earlier row Kafka refused for good: publishing past it would leave a gap. Each slot's rows
     * come in id order and the batch holds a prefix of each slot's rows, so rows of one aggregate
     * (which share a slot) are never reordered. Every slot is read through its own index range, so
     * the plan does not depend on table statistics, which lag behind a sudden backlog.
     */
    public List<OutboxEntry> nextBatch(Collection<Integer> slots, int limit) {
        return jdbc.sql("""
                with next as (
                    select pending.id
                      from unnest(cast(:slots as integer[])) as owned(slot)
                      cross join lateral (
                          select o.id from outbox o
                           where o.slot = owned.slot and o.published_at is null and o.failed_at is null
                             and not exists (select 1 from outbox f
                                              where f.aggregate_id = o.aggregate_id and f.failed_at is not null
                                                and f.published_at is null and f.id < o.id)
                           order by o.id
                           limit :limit) as pending
                     order by pending.id
                     limit :limit)
                select\s""" + COLUMNS + """
                  from outbox join next using (id)
                 order by id
                """)
                .param("slots", slots.toArray(Integer[]::new))
                .param("limit", limit)
                .query(this::entry)
                .list();
    }

    /** The slot of an aggregate's rows. */
    public int slotOf(UUID aggregateId) {
        return jdbc.sql("select (hashtext(cast(:id as text)) & 2147483647) % " + SLOTS)
                .param("id", aggregateId.toString())
                .query(Integer.class)
                .single();
    }

    /** Stamps rows Kafka acknowledged. */
    public void markPublished(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("""
                update outbox set published_at = now(), publish_attempts = publish_attempts + 1,
                                  failed_at = null, last_error = null
                where id = any(:ids)
                """)
                .param("ids", ids.toArray(Long[]::new))
                .update();
    }

    /** Sets a row aside that Kafka refused for good; its aggregate's later rows wait behind it. */
    public void markFailed(long id, String error) {
        jdbc.sql("""
                update outbox set failed_at = now(), last_error = :error, publish_attempts = publish_attempts + 1
                where id = :id and published_at is null
                """)
                .param("id", id)
                .param("error", error)
                .update();
    }

    /** Rows Kafka refused for good, oldest first. */
    public List<OutboxEntry> failed(int limit) {
        return jdbc.sql("select " + COLUMNS + " from outbox where failed_at is not null and published_at is null "
                        + "order by id limit :limit")
                .param("limit", limit)
                .query(this::entry)
                .list();
    }

    /** Puts a failed row back in line; answers whether it was failed. */
    public boolean retry(long id) {
        return jdbc.sql("update outbox set failed_at = null where id = :id and failed_at is not null "
                        + "and published_at is null")
                .param("id", id)
                .update() == 1;
    }

    /** One row, if it exists. */
    public Optional<OutboxEntry> find(long id) {
        return jdbc.sql("select " + COLUMNS + " from outbox where id = :id").param("id", id).query(this::entry)
                .optional();
    }

    /** The retained events of one aggregate, in sequence order. */
    public List<OutboxEntry> history(UUID aggregateId) {
        return jdbc.sql("select " + COLUMNS + " from outbox where aggregate_id = :id order by sequence")
                .param("id", aggregateId)
                .query(this::entry)
                .list();
    }

    /** Queues the retained, published events of one aggregate for publishing again; returns how many. */
    public int republish(UUID aggregateId) {
        return jdbc.sql("update outbox set published_at = null where aggregate_id = :id and published_at is not null")
                .param("id", aggregateId)
                .update();
    }

    /** How many rows wait for Kafka, and since when the oldest waits. */
    public Backlog backlog() {
        return jdbc.sql("select count(*), min(occurred_at), count(failed_at) from outbox where published_at is null")
                .query((rs, row) -> new Backlog(rs.getLong(1), instant(rs, 2), rs.getLong(3)))
                .single();
    }

    /** Deletes up to {@code limit} rows published before the cutoff; returns how many. */
    public int deletePublishedBefore(Instant cutoff, int limit) {
        return jdbc.sql("""
                delete from outbox where id in (
                    select id from outbox where published_at < :cutoff order by published_at limit :limit)
                """)
                .param("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
                .param("limit", limit)
                .update();
    }

    /**
     * Unpublished rows and the age of the oldest.
     *
     * @param oldestOccurredAt when the oldest unpublished event happened, or {@code null} when none waits
     * @param failed           how many of them Kafka refused for good
     */
    public record Backlog(long size, Instant oldestOccurredAt, long failed) {
    }

    private OutboxEntry entry(ResultSet rs, int row) throws SQLException {
        return new OutboxEntry(rs.getLong(1), rs.getObject(2, UUID.class), AggregateType.fromWireName(rs.getString(3)),
                rs.getObject(4, UUID.class), rs.getLong(5), rs.getString(6), rs.getInt(7), rs.getString(8),
                json.readValue(rs.getString(9), HEADERS), instant(rs, 10), instant(rs, 11), instant(rs, 12),
                rs.getString(13), rs.getInt(14));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
