package io.ordercqrs.command.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox table as the relay and ops see it. Rows are spread over a fixed number of slots by a
 * hash of their aggregate id, so every row of one aggregate is in the same slot and one relay
 * owning that slot publishes them in order.
 *
 * <p>Rows are written once and never changed. Each slot has a {@link Position}: every row at or
 * before it was acknowledged by Kafka or set aside in {@code outbox_held}; the rows after it wait.
 * Rows are read in the order of the transaction that wrote them, and only from transactions older
 * than every transaction still running, so a transaction that commits late is never passed over.
 */
public class OutboxEntries {

    /** How many slots the outbox is hashed into; fixed by the schema (the {@code slot} column). */
    public static final int SLOTS = 64;

    private static final String COLUMNS = """
            o.id, o.slot, o.txid::text, o.event_id, o.aggregate_type, o.aggregate_id, o.sequence, o.event_type,
            o.schema_version, o.payload::text, o.headers::text, o.occurred_at""";
    private static final String HELD_COLUMNS = COLUMNS + ", h.failed_at, h.last_error, h.attempts";
    private static final String STATE = """
            case when d.id is not null then 'DISCARDED'
                 when h.failed_at is not null then 'FAILED'
                 when h.id is not null then 'HELD'
                 when (o.txid, o.id) <= (p.txid, p.id) or pg_visible_in_snapshot(o.txid, s.snapshot) then 'PUBLISHED'
                 else 'PENDING' end""";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public OutboxEntries(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /**
     * What a read found: the rows after each cursor, in each slot's order, and whether a
     * transaction still running could yet add rows before later ones become readable.
     */
    record Read(List<OutboxEntry> rows, boolean transactionsRunning) {
    }

    /**
     * The next rows of each slot after its cursor, at most {@code perSlot} of each, from
     * transactions older than every transaction still running. Every slot is read through its own
     * index range, so the plan does not depend on table statistics, which lag behind a sudden backlog.
     */
    Read read(Map<Integer, Position> cursors, int perSlot) {
        Integer[] slots = new Integer[cursors.size()];
        String[] txids = new String[cursors.size()];
        Long[] ids = new Long[cursors.size()];
        int i = 0;
        for (Map.Entry<Integer, Position> cursor : cursors.entrySet()) {
            slots[i] = cursor.getKey();
            txids[i] = Long.toUnsignedString(cursor.getValue().txid());
            ids[i] = cursor.getValue().id();
            i++;
        }
        boolean[] running = {false};
        List<OutboxEntry> rows = jdbc.sql("""
                with horizon as materialized (
                    select pg_snapshot_xmin(pg_current_snapshot()) as xmin,
                           pg_snapshot_xmax(pg_current_snapshot()) as xmax)
                select h.xmin < h.xmax, r.*
                  from horizon h
                  left join lateral (
                      select\s""" + COLUMNS + """
                             , o.txid as order_txid
                        from unnest(cast(:slots as integer[]), cast(cast(:txids as text[]) as xid8[]),
                                    cast(:ids as bigint[])) as c(slot, txid, id)
                        cross join lateral (
                            select * from outbox o
                             where o.slot = c.slot and (o.txid, o.id) > (c.txid, c.id) and o.txid < h.xmin
                             order by o.txid, o.id
                             limit :limit) as o) as r on true
                 order by r.slot, r.order_txid, r.id
                """)
                .param("slots", slots)
                .param("txids", txids)
                .param("ids", ids)
                .param("limit", perSlot)
                .query((rs, row) -> {
                    running[0] = rs.getBoolean(1);
                    return rs.getObject(2) == null ? null : entry(rs, 1);
                })
                .list();
        rows.removeIf(java.util.Objects::isNull);
        return new Read(rows, running[0]);
    }

    /** Where the given slots stand. */
    Map<Integer, Position> positions(Collection<Integer> slots) {
        Map<Integer, Position> positions = new HashMap<>();
        jdbc.sql("select slot, txid::text, id from outbox_positions where slot = any(:slots)")
                .param("slots", slots.toArray(Integer[]::new))
                .query(rs -> {
                    positions.put(rs.getInt(1), new Position(Long.parseUnsignedLong(rs.getString(2)), rs.getLong(3)));
                });
        return positions;
    }

    /**
     * The rows set aside in the given slots, in id order (each aggregate's in sequence order), at
     * most {@code limit} of them and only whole aggregates: the aggregates whose rows do not fit
     * are named apart, so the relay keeps them waiting rather than letting their later rows
     * overtake a row it did not load.
     */
    Held held(Collection<Integer> slots, int limit) {
        List<HeldRow> rows = heldRows("h.slot = any(:slots)", Map.of("slots", slots.toArray(Integer[]::new)),
                limit);
        if (rows.size() < limit) {
            return new Held(rows, Set.of());
        }
        Set<UUID> beyond = new HashSet<>(jdbc.sql("""
                select distinct aggregate_id from outbox_held
                 where slot = any(:slots) and id > :last
                """)
                .param("slots", slots.toArray(Integer[]::new))
                .param("last", rows.get(rows.size() - 1).entry().id())
                .query(UUID.class)
                .list());
        List<HeldRow> whole = rows.stream().filter(row -> !beyond.contains(row.entry().aggregateId())).toList();
        if (whole.isEmpty()) {
            // One aggregate holds more rows than the limit: it comes whole, alone.
            UUID first = rows.get(0).entry().aggregateId();
            beyond.remove(first);
            whole = heldRows("h.aggregate_id = :aggregate", Map.of("aggregate", first), Integer.MAX_VALUE);
        }
        return new Held(whole, beyond);
    }

    private List<HeldRow> heldRows(String where, Map<String, Object> params, int limit) {
        return jdbc.sql("select " + HELD_COLUMNS + " from outbox_held h join outbox o using (id) where " + where
                        + " order by h.id limit :limit")
                .params(params)
                .param("limit", limit)
                .query((rs, row) -> new HeldRow(entry(rs, 0), instant(rs, 13), rs.getString(14), rs.getInt(15)))
                .list();
    }

    /**
     * Rows set aside, as loaded for the relay.
     *
     * @param rows   the rows of every aggregate loaded whole
     * @param beyond aggregates with rows set aside that did not fit: none of their rows may go yet
     */
    record Held(List<HeldRow> rows, Set<UUID> beyond) {
    }

    /**
     * One row set aside.
     *
     * @param failedAt when Kafka refused it for good, or {@code null} when it only waits its turn
     */
    record HeldRow(OutboxEntry entry, Instant failedAt, String lastError, int attempts) {
    }

    /**
     * What the relay settled since its last write, written in one transaction.
     *
     * @param held      rows passed by a position that wait in {@code outbox_held}
     * @param failed    rows Kafka refused for good, with the reason
     * @param released  held rows Kafka has now acknowledged
     * @param positions per slot, the new position
     */
    record Settled(List<Long> held, Map<Long, String> failed, List<Long> released, Map<Integer, Position> positions) {

        boolean isEmpty() {
            return held.isEmpty() && failed.isEmpty() && released.isEmpty() && positions.isEmpty();
        }
    }

    /**
     * Records what the relay settled. A position only ever moves forward, so a relay that lost its
     * slot a moment ago cannot move it back.
     */
    void settle(Settled settled) {
        transactions.executeWithoutResult(status -> {
            if (!settled.held().isEmpty()) {
                jdbc.sql("""
                        insert into outbox_held (id, slot, aggregate_id)
                        select id, slot, aggregate_id from outbox where id = any(:ids)
                        on conflict (id) do nothing
                        """)
                        .param("ids", settled.held().toArray(Long[]::new))
                        .update();
            }
            settled.failed().forEach((id, error) -> jdbc.sql("""
                    insert into outbox_held (id, slot, aggregate_id, failed_at, last_error, attempts)
                    select id, slot, aggregate_id, now(), :error, 1 from outbox where id = :id
                    on conflict (id) do update set failed_at = now(), last_error = excluded.last_error,
                                                   attempts = outbox_held.attempts + 1
                    """)
                    .param("id", id)
                    .param("error", error)
                    .update());
            if (!settled.released().isEmpty()) {
                jdbc.sql("delete from outbox_held where id = any(:ids) and failed_at is null")
                        .param("ids", settled.released().toArray(Long[]::new))
                        .update();
            }
            if (!settled.positions().isEmpty()) {
                List<Integer> slots = new ArrayList<>();
                List<String> txids = new ArrayList<>();
                List<Long> ids = new ArrayList<>();
                settled.positions().forEach((slot, position) -> {
                    slots.add(slot);
                    txids.add(Long.toUnsignedString(position.txid()));
                    ids.add(position.id());
                });
                jdbc.sql("""
                        update outbox_positions p set txid = c.txid, id = c.id, moved_at = now()
                          from unnest(cast(:slots as integer[]), cast(cast(:txids as text[]) as xid8[]),
                                      cast(:ids as bigint[])) as c(slot, txid, id)
                         where p.slot = c.slot and (p.txid, p.id) < (c.txid, c.id)
                        """)
                        .param("slots", slots.toArray(Integer[]::new))
                        .param("txids", txids.toArray(String[]::new))
                        .param("ids", ids.toArray(Long[]::new))
                        .update();
            }
        });
    }

    /** The slot of an aggregate's rows. */
    public int slotOf(UUID aggregateId) {
        return jdbc.sql("select (hashtext(cast(:id as text)) & 2147483647) % " + SLOTS)
                .param("id", aggregateId.toString())
                .query(Integer.class)
                .single();
    }

    /**
     * One row for ops, with where it stands.
     *
     * @param state     {@code PUBLISHED}, {@code PENDING} (waits in its slot), {@code HELD} (set
     *                  aside behind a failed row, or queued for publishing again), {@code FAILED}
     *                  (Kafka or the relay refused it for good) or {@code DISCARDED} (ops gave it up)
     * @param failedAt  when it was refused, or {@code null}
     * @param lastError why it was refused, or {@code null}
     * @param attempts  how often it was refused
     */
    public record Row(OutboxEntry entry, String state, Instant failedAt, String lastError, int attempts) {
    }

    /** Rows Kafka refused for good, oldest first. */
    public List<Row> failed(int limit) {
        return rows("h.failed_at is not null", Map.of(), "o.id", limit);
    }

    /** The retained events of one aggregate, in sequence order. */
    public List<Row> history(UUID aggregateId) {
        return rows("o.aggregate_id = :aggregate", Map.of("aggregate", aggregateId), "o.sequence", 10_000);
    }

    /**
     * One page of every retained row that was or will be published (not failed, held or
     * discarded), in publishing order within each aggregate: slot, then transaction, then id, after
     * {@code after}. Every committed row is read, including those of transactions younger than one
     * still running, which the change-data-capture relay may have published already. A row a page
     * passes over was not committed when the page was read, so either relay publishes it after that.
     */
    List<Row> retained(HistoryCursor after, int limit) {
        return rows("h.id is null and d.id is null"
                        + " and (o.slot, o.txid, o.id) > (:slot, cast(:txid as text)::xid8, :id)",
                Map.of("slot", after.slot(), "txid", Long.toUnsignedString(after.txid()), "id", after.id()),
                "o.slot, o.txid, o.id", limit);
    }

    /** One row, if it exists. */
    public Optional<Row> find(long id) {
        return rows("o.id = :id", Map.of("id", id), "o.id", 1).stream().findFirst();
    }

    private List<Row> rows(String where, Map<String, Object> params, String order, int limit) {
        return jdbc.sql("select " + HELD_COLUMNS + ", " + STATE + """
                 from outbox o
                 join outbox_positions p on p.slot = o.slot
                 left join outbox_held h on h.id = o.id
                 left join outbox_discarded d on d.id = o.id
                 left join outbox_cdc_published s on true
                where\s""" + where + " order by " + order + " limit :limit")
                .params(params)
                .param("limit", limit)
                .query((rs, row) -> new Row(entry(rs, 0), rs.getString(16), instant(rs, 13), rs.getString(14),
                        rs.getInt(15)))
                .list();
    }

    /** Puts a failed row back in line; answers whether it was failed. */
    public boolean retry(long id) {
        boolean retried = jdbc.sql("update outbox_held set failed_at = null where id = :id and failed_at is not null")
                .param("id", id)
                .update() == 1;
        if (retried) {
            wakeRelays();
        }
        return retried;
    }

    /**
     * Gives up a failed row: it is never published, a copy with the reason and who gave it up is
     * kept, and its aggregate's later rows flow again. Answers whether it was failed.
     */
    public boolean discard(long id, String reason, String by) {
        Boolean discarded = transactions.execute(status -> {
            int copied = jdbc.sql("""
                    insert into outbox_discarded (id, event_id, aggregate_type, aggregate_id, sequence, event_type,
                                                  payload, last_error, reason, discarded_by)
                    select o.id, o.event_id, o.aggregate_type, o.aggregate_id, o.sequence, o.event_type, o.payload,
                           h.last_error, :reason, :by
                      from outbox_held h join outbox o using (id)
                     where h.id = :id and h.failed_at is not null
                    on conflict (id) do nothing
                    """)
                    .param("id", id)
                    .param("reason", reason)
                    .param("by", by)
                    .update();
            if (copied == 0) {
                return false;
            }
            jdbc.sql("delete from outbox_held where id = :id").param("id", id).update();
            return true;
        });
        if (Boolean.TRUE.equals(discarded)) {
            wakeRelays();
        }
        return Boolean.TRUE.equals(discarded);
    }

    /**
     * Waits, at most {@code timeout}, until the positions of the aggregate's slot have passed every
     * row of it that was not set aside; answers whether they did. In {@code cdc} mode positions
     * follow the relay's marks, a little behind what it published, and stop behind a transaction
     * still running: rows past them may be on Kafka already.
     */
    boolean awaitPassed(UUID aggregateId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean passed = Boolean.TRUE.equals(jdbc.sql("""
                    select not exists (
                        select 1 from outbox o join outbox_positions p on p.slot = o.slot
                         where o.aggregate_id = :id and (o.txid, o.id) > (p.txid, p.id)
                           and not exists (select 1 from outbox_held h where h.id = o.id)
                           and not exists (select 1 from outbox_discarded d where d.id = o.id))
                    """)
                    .param("id", aggregateId)
                    .query(Boolean.class)
                    .single());
            if (passed || System.nanoTime() - deadline >= 0) {
                return passed;
            }
            Thread.sleep(100);
        }
    }

    /**
     * Queues the retained, published events of one aggregate for publishing again, in order;
     * returns how many.
     */
    public int republish(UUID aggregateId) {
        int queued = jdbc.sql("""
                insert into outbox_held (id, slot, aggregate_id)
                select o.id, o.slot, o.aggregate_id
                  from outbox o join outbox_positions p on p.slot = o.slot
                 where o.aggregate_id = :id and (o.txid, o.id) <= (p.txid, p.id)
                   and not exists (select 1 from outbox_discarded d where d.id = o.id)
                on conflict (id) do nothing
                """)
                .param("id", aggregateId)
                .update();
        if (queued > 0) {
            wakeRelays();
        }
        return queued;
    }

    /** Tells every relay that the held rows changed. */
    private void wakeRelays() {
        jdbc.sql("select pg_notify('outbox_held', '')").query(rs -> {
        });
    }

    /**
     * Rows not yet acknowledged by Kafka and the age of the oldest, and rows refused for good.
     *
     * @param oldestOccurredAt when the oldest waiting event happened, or {@code null} when none waits
     * @param failed           how many rows were refused for good
     * @param oldestInLineAt   when the oldest event waiting in its slot (not set aside) happened, or
     *                         {@code null} when none does
     */
    public record Backlog(long size, Instant oldestOccurredAt, long failed, Instant oldestInLineAt) {
    }

    /**
     * Rows after their slot's position, plus rows set aside (each row once: in {@code cdc} mode a
     * row may be set aside before the positions move past it). In {@code cdc} mode the rows of
     * transactions the newest returned mark saw as ended are on Kafka, even past the positions a
     * running transaction holds back, and do not count.
     */
    public Backlog backlog() {
        return jdbc.sql("""
                with waiting as (
                    select o.occurred_at
                      from outbox_positions p
                      join lateral (select occurred_at from outbox o
                                     where o.slot = p.slot and (o.txid, o.id) > (p.txid, p.id)
                                       and not exists (select 1 from outbox_held h where h.id = o.id)
                                       and not exists (select 1 from outbox_cdc_published s
                                                        where pg_visible_in_snapshot(o.txid, s.snapshot))) o on true),
                held as (select h.failed_at, o.occurred_at from outbox_held h join outbox o using (id))
                select (select count(*) from waiting) + (select count(*) from held),
                       least((select min(occurred_at) from waiting), (select min(occurred_at) from held)),
                       (select count(failed_at) from held),
                       (select min(occurred_at) from waiting)
                """)
                .query((rs, row) -> new Backlog(rs.getLong(1), instant(rs, 2), rs.getLong(3), instant(rs, 4)))
                .single();
    }

    /**
     * A transaction still running that began before a row started waiting in its slot, as
     * PostgreSQL shows it to this service's database user (sessions of other users show only if it
     * may read them, for example with {@code pg_read_all_stats}). The polling relay reads no row of
     * a later transaction while it runs, and in both modes the slots' positions stay behind it.
     *
     * @param pid         the backend's process id ({@code pg_terminate_backend} ends it)
     * @param startedAt   when its transaction began
     * @param state       what the session does now, for example {@code idle in transaction}
     */
    public record RunningTransaction(int pid, String database, String user, String application, Instant startedAt,
            String state) {
    }

    /** The oldest transaction with a transaction id still running that began before {@code before}, if any. */
    public Optional<RunningTransaction> oldestTransactionBefore(Instant before) {
        return jdbc.sql("""
                select pid, datname, usename, application_name, xact_start, state
                  from pg_stat_activity
                 where backend_xid is not null and pid <> pg_backend_pid() and xact_start <= :before
                 order by age(backend_xid) desc
                 limit 1
                """)
                .param("before", OffsetDateTime.ofInstant(before, ZoneOffset.UTC))
                .query((rs, row) -> new RunningTransaction(rs.getInt(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), instant(rs, 5), rs.getString(6)))
                .optional();
    }

    /**
     * A failed row and how many rows of its aggregate wait behind it.
     *
     * @param waiting rows of the same aggregate that wait behind it
     */
    public record Blocker(long id, UUID aggregateId, long sequence, String eventType, Instant failedAt,
            String lastError, long waiting) {
    }

    /** The failed rows holding their aggregates back, oldest first. */
    public List<Blocker> blockers(int limit) {
        return jdbc.sql("""
                select f.id, f.aggregate_id, o.sequence, o.event_type, f.failed_at, f.last_error,
                       (select count(*) from outbox_held w where w.aggregate_id = f.aggregate_id and w.id > f.id)
                  from outbox_held f join outbox o using (id)
                 where f.failed_at is not null
                 order by f.id
                 limit :limit
                """)
                .param("limit", limit)
                .query((rs, row) -> new Blocker(rs.getLong(1), rs.getObject(2, UUID.class), rs.getLong(3),
                        rs.getString(4), instant(rs, 5), rs.getString(6), rs.getLong(7)))
                .list();
    }

    /**
     * Deletes up to {@code limit} rows that happened before the cutoff and were published (or
     * discarded); returns how many. Rows still waiting are never deleted.
     */
    public int deletePublishedBefore(Instant cutoff, int limit) {
        return jdbc.sql("""
                delete from outbox where id in (
                    select o.id from outbox o join outbox_positions p on p.slot = o.slot
                     where o.occurred_at < :cutoff and (o.txid, o.id) <= (p.txid, p.id)
                       and not exists (select 1 from outbox_held h where h.id = o.id)
                     limit :limit)
                """)
                .param("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
                .param("limit", limit)
                .update();
    }

    /** Reads the {@link #COLUMNS} that start after column {@code offset}. */
    private static OutboxEntry entry(ResultSet rs, int offset) throws SQLException {
        return new OutboxEntry(rs.getLong(offset + 1), rs.getInt(offset + 2),
                new Position(Long.parseUnsignedLong(rs.getString(offset + 3)), rs.getLong(offset + 1)),
                rs.getObject(offset + 4, UUID.class), rs.getString(offset + 5), rs.getObject(offset + 6, UUID.class),
                rs.getLong(offset + 7), rs.getString(offset + 8), rs.getInt(offset + 9), rs.getString(offset + 10),
                rs.getString(offset + 11), instant(rs, offset + 12));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
