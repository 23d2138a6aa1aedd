-- A command's transaction may commit only within its commit budget (the session setting
-- ordercqrs.commit_budget, set by the application on each connection; unset, there is none).
-- The application gives up on a database that does not answer after its socket timeout, which is
-- at least the budget: when PostgreSQL was stalled (a paused machine, a long I/O hang) and resumes
-- after the client gave up and answered 503, the commit is refused here instead of applying a
-- command whose caller was told it failed. Checked at commit, once per outbox row: every command
-- that changes anything writes its events to the outbox.
create function outbox_commit_budget() returns trigger language plpgsql as $$
declare
    budget text := current_setting('ordercqrs.commit_budget', true);
begin
    if budget is not null and budget <> '' and clock_timestamp() > transaction_timestamp() + budget::interval then
        raise exception 'The transaction took longer than its commit budget of %; its client has given up', budget
            using errcode = '57014';
    end if;
    return null;
end;
$$;

create constraint trigger outbox_commit_budget
    after insert on outbox
    deferrable initially deferred
    for each row
execute function outbox_commit_budget();
