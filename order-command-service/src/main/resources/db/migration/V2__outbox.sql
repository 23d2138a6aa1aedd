-- Events written in the same transaction as the aggregate change that caused them. The relay
-- publishes unpublished rows to Kafka and stamps published_at; published rows are kept as event
-- history for a retention period, so an aggregate's events can be republished on demand.

create table outbox (
    id               bigserial    primary key,
    event_id         uuid         not null unique,
    aggregate_type   varchar(32)  not null,
    aggregate_id     uuid         not null,
    sequence         bigint       not null check (sequence >= 1),
    event_type       varchar(64)  not null,
    schema_version   integer      not null check (schema_version >= 1),
    payload          jsonb        not null,
    headers          jsonb        not null default '{}'::jsonb,
    occurred_at      timestamptz  not null,
    published_at     timestamptz,
    failed_at        timestamptz,
    last_error       text,
    publish_attempts integer      not null default 0,
    -- Which of 64 slots the row belongs to: all rows of one aggregate share a slot, and one relay
    -- instance at a time owns a slot, so one aggregate's rows are published by one owner, in order.
    slot             smallint     not null
        generated always as ((hashtext(aggregate_id::text) & 2147483647) % 64) stored,
    constraint outbox_aggregate_sequence_key unique (aggregate_type, aggregate_id, sequence)
);

-- What the relay reads: each slot's waiting rows in id order.
create index outbox_pending_idx on outbox (slot, id) where published_at is null and failed_at is null;
-- What the backlog gauges count.
create index outbox_unpublished_idx on outbox (occurred_at) where published_at is null;
-- Failed rows, which hold back their aggregate's later rows (the relay probes this for every row it reads).
create index outbox_failed_idx on outbox (aggregate_id) where failed_at is not null and published_at is null;
-- What retention deletes: published rows, oldest first.
create index outbox_published_at_idx on outbox (published_at) where published_at is not null;

-- Wake the relay as soon as a transaction that wrote outbox rows commits (delivered on commit only).
create function outbox_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('outbox', '');
    return null;
end;
$$;

create trigger outbox_notify
    after insert on outbox
    for each statement
execute function outbox_notify();
