-- The relay keeps a position per slot instead of stamping every row it published: outbox rows are
-- written once and never updated. Rows are read in the order of the transaction that wrote them
-- (txid, then id), and only from transactions older than every transaction still running (the
-- snapshot's xmin), so a transaction that commits late is never passed over.

alter table outbox add column txid xid8 not null default '0';
alter table outbox alter column txid set default pg_current_xact_id();

-- Per slot: every row at or before (txid, id) was acknowledged by Kafka or set aside in outbox_held.
create table outbox_positions (
    slot     smallint    primary key check (slot between 0 and 63),
    txid     xid8        not null,
    id       bigint      not null,
    moved_at timestamptz not null default now()
);

-- Rows set aside: one Kafka refused for good (failed_at set), and the later rows of its aggregate,
-- which wait behind it. Ops retry or discard the failed row; the relay then publishes the rest in
-- order. Republishing an aggregate queues its retained rows here too.
create table outbox_held (
    id           bigint      primary key references outbox (id) on delete cascade,
    slot         smallint    not null,
    aggregate_id uuid        not null,
    held_at      timestamptz not null default now(),
    failed_at    timestamptz,
    last_error   text,
    attempts     integer     not null default 0
);
create index outbox_held_slot_idx on outbox_held (slot, id);

-- Failed rows ops discarded, with who did it and why; kept after retention deleted the row.
create table outbox_discarded (
    id             bigint       primary key,
    event_id       uuid         not null,
    aggregate_type varchar(32)  not null,
    aggregate_id   uuid         not null,
    sequence       bigint       not null,
    event_type     varchar(64)  not null,
    payload        jsonb        not null,
    last_error     text,
    reason         text         not null,
    discarded_by   varchar(200) not null,
    discarded_at   timestamptz  not null default now()
);

-- Each slot continues at its first row that was waiting; a published row after it is sent once more.
insert into outbox_positions (slot, txid, id)
select s.slot, '0',
       coalesce((select min(o.id) - 1 from outbox o
                  where o.slot = s.slot and o.published_at is null and o.failed_at is null),
                (select max(o.id) from outbox o where o.slot = s.slot),
                0)
  from generate_series(0, 63) as s(slot);

insert into outbox_held (id, slot, aggregate_id, failed_at, last_error, attempts)
select id, slot, aggregate_id, failed_at, last_error, publish_attempts
  from outbox
 where failed_at is not null and published_at is null;

-- Dropping the stamps drops the partial indexes built on them.
alter table outbox drop column published_at, drop column failed_at, drop column last_error,
                   drop column publish_attempts;

-- What the relay reads: each slot's rows in transaction order.
create index outbox_slot_txid_idx on outbox (slot, txid, id);
-- What retention looks for: old rows. The table is appended in time order, so a block range index
-- costs next to nothing to keep.
create index outbox_occurred_at_idx on outbox using brin (occurred_at);
