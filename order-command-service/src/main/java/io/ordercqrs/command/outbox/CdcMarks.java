package io.ordercqrs.command.outbox;

import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The marks the streaming {@link CdcRelay} writes into the log, and the replication slot's lag,
 * which every instance can read.
 */
class CdcMarks {

    private final JdbcClient jdbc;

    CdcMarks(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /**
     * How far the slot is behind.
     *
     * @param bytes   write-ahead log written since the position the slot confirmed, or -1 when the
     *                slot does not exist yet
     * @param seconds age of the oldest mark not yet back out of the log (0 when none waits)
     */
    record Lag(long bytes, double seconds) {
    }

    /** Writes a mark; answers its id. */
    long mark() {
        return jdbc.sql("""
                insert into outbox_cdc_marks (horizon, snapshot)
                values (cast(cast(pg_snapshot_xmin(pg_current_snapshot()) as text) as bigint), pg_current_snapshot())
                returning id
                """)
                .query(Long.class)
                .single();
    }

    /**
     * Records that a mark came back and what came before it is acknowledged: every transaction its
     * snapshot sees as ended has its rows on Kafka. Keeps the newest such mark's snapshot.
     */
    void returned(long id) {
        jdbc.sql("""
                insert into outbox_cdc_published (mark_id, snapshot)
                select id, snapshot from outbox_cdc_marks where id = :id and snapshot is not null
                on conflict (only_row) do update set mark_id = excluded.mark_id, snapshot = excluded.snapshot,
                                                     seen_at = now()
                 where outbox_cdc_published.mark_id < excluded.mark_id
                """)
                .param("id", id)
                .update();
    }

    /** Forgets the marks that came back, up to and including the given one. */
    void forget(long upTo) {
        jdbc.sql("delete from outbox_cdc_marks where id <= :id").param("id", upTo).update();
    }

    Lag lag(String slotName) {
        return jdbc.sql("""
                select coalesce((select pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)
                                   from pg_replication_slots
                                  where slot_name = :slot and database = current_database()), -1),
                       coalesce((select extract(epoch from now() - min(marked_at)) from outbox_cdc_marks), 0)
                """)
                .param("slot", slotName)
                .query((rs, row) -> new Lag(rs.getLong(1), rs.getDouble(2)))
                .single();
    }
}
