-- The cdc relay's marks keep the snapshot they were written in as well as its horizon. Every
-- transaction that snapshot sees as ended committed before the mark, so once the mark is back out
-- of the log and what came before it is acknowledged, the outbox rows of those transactions are on
-- Kafka, even the ones past the slots' positions, which a transaction still running holds back.
-- The snapshot of the newest mark back is kept below: the backlog, the rows' states and health
-- count the rows it sees as published, so a long transaction no longer shows as a growing backlog
-- (positions, retention and republishing still go by the positions alone).
alter table outbox_cdc_marks add column snapshot pg_snapshot;

create table outbox_cdc_published (
    only_row boolean     primary key default true check (only_row),
    mark_id  bigint      not null,
    snapshot pg_snapshot not null,
    seen_at  timestamptz not null default now()
);
