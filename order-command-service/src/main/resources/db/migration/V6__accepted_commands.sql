-- Commands accepted with "Prefer: respond-async": stored before the 202 is answered, run later by
-- any instance, and kept with their answer (the result, or the problem they were refused with)
-- for the status resource GET /commands/{id}.

create table accepted_commands (
    id              uuid         primary key,
    -- Acceptance order: commands on one aggregate run one at a time, in this order.
    seq             bigint       generated always as identity,
    caller          varchar(200) not null,
    caller_roles    varchar(100) not null,
    operation       varchar(300) not null,
    kind            varchar(100) not null,
    aggregate       varchar(200) not null,
    command         jsonb        not null,
    -- The request's trace context and correlation id, continued when the command runs.
    traceparent     varchar(55),
    correlation_id  varchar(200),
    state           varchar(10)  not null default 'pending' check (state in ('pending', 'done', 'failed')),
    accepted_at     timestamptz  not null,
    completed_at    timestamptz,
    -- The answer: the result (status, Location, ETag, body) or the problem it was refused with.
    answer_status   integer,
    answer_location varchar(300),
    answer_etag     varchar(30),
    answer_body     text,
    unique (seq)
);

create index accepted_commands_pending_idx on accepted_commands (aggregate, seq) where state = 'pending';
create index accepted_commands_pending_seq_idx on accepted_commands (seq) where state = 'pending';
create index accepted_commands_completed_at_idx on accepted_commands (completed_at) where state <> 'pending';
