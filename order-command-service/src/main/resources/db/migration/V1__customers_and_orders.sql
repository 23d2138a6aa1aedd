create table customers (
    id            uuid primary key,
    name          varchar(200) not null,
    email         varchar(320) not null,
    version       bigint       not null,
    registered_at timestamptz  not null,
    updated_at    timestamptz  not null
);
