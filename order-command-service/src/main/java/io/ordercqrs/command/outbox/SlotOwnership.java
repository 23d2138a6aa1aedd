package io.ordercqrs.command.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which outbox slots this relay instance owns, through PostgreSQL session advisory locks held on
 * one dedicated connection. A slot is owned by at most one instance at a time; when an instance
 * dies its connection closes and PostgreSQL frees its locks at once, so the others take its slots
 * over at their next refresh. Every instance also holds a membership lock, so each can count the
 * live instances and keep only its fair share ({@code ceil(slots / instances)}). Not thread-safe:
 * the relay thread alone uses it.
 */
class SlotOwnership implements AutoCloseable {

    /** What the owner finishes before slots go to an instance that joined (its records in flight). */
    @FunctionalInterface
    interface BeforeGivingAway {
        void run() throws InterruptedException;
    }

    /** Opens the dedicated connection. */
    @FunctionalInterface
    interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    private static final Logger log = LoggerFactory.getLogger(SlotOwnership.class);

    private final ConnectionFactory connections;
    private final int slotCount;
    private final int slotLockKey;
    private final int memberLockKey;
    private final int memberId = ThreadLocalRandom.current().nextInt();
    private final Set<Integer> owned = new TreeSet<>();
    private volatile Connection connection;
    private int members;

    SlotOwnership(ConnectionFactory connections, int slotCount, int lockNamespace) {
        this.connections = connections;
        this.slotCount = slotCount;
        this.slotLockKey = lockNamespace;
        this.memberLockKey = lockNamespace + 1;
    }

    /**
     * Joins if needed, counts the live instances, gives away slots above the fair share (after
     * {@code beforeGivingAway}) and takes free ones up to it. On a broken connection it forgets every slot (PostgreSQL freed them) and
     * throws; the next call reconnects.
     *
     * @return the slots owned now
     */
    Set<Integer> refresh(BeforeGivingAway beforeGivingAway) throws SQLException, InterruptedException {
        try {
            if (connection == null || connection.isClosed()) {
                connect();
            }
            members = Math.max(1, countMembers());
            int fairShare = (slotCount + members - 1) / members;
            if (owned.size() > fairShare) {
                beforeGivingAway.run();
            }
            while (owned.size() > fairShare) {
                release(((TreeSet<Integer>) owned).last());
            }
            if (owned.size() < fairShare) {
                acquireUpTo(fairShare);
            }
            return Collections.unmodifiableSet(owned);
        }
        catch (SQLException e) {
            lose();
            throw e;
        }
    }

    /** The slots owned since the last refresh. */
    Set<Integer> owned() {
        return Collections.unmodifiableSet(owned);
    }

    /** Live relay instances seen at the last refresh. */
    int members() {
        return members;
    }

    int slotCount() {
        return slotCount;
    }

    /** Gives every slot back and leaves; other instances take the slots over. */
    @Override
    public void close() {
        lose();
    }

    /**
     * Breaks the connection from another thread, waking a relay waiting for notifications; it then
     * finds the connection gone. PostgreSQL frees the slots.
     */
    void abort() {
        Connection current = connection;
        if (current != null) {
            try {
                current.abort(Runnable::run);
            }
            catch (SQLException ignored) {
                // already broken
            }
        }
    }

    private void connect() throws SQLException {
        connection = connections.open();
        connection.setAutoCommit(true);
        try (PreparedStatement join = connection.prepareStatement("select pg_try_advisory_lock(?, ?)")) {
            join.setInt(1, memberLockKey);
            join.setInt(2, memberId);
            join.execute();
        }
        log.info("Outbox relay member {} joined", memberId);
    }

    private int countMembers() throws SQLException {
        try (PreparedStatement count = connection.prepareStatement("""
                select count(*) from pg_locks
                where locktype = 'advisory' and classid = ? and objsubid = 2 and granted
                  and database = (select oid from pg_database where datname = current_database())
                """)) {
            count.setInt(1, memberLockKey);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private void acquireUpTo(int fairShare) throws SQLException {
        List<Integer> candidates = new ArrayList<>();
        int start = ThreadLocalRandom.current().nextInt(slotCount);
        for (int i = 0; i < slotCount; i++) {
            int slot = (start + i) % slotCount;
            if (!owned.contains(slot)) {
                candidates.add(slot);
            }
        }
        try (PreparedStatement tryLock = connection.prepareStatement("select pg_try_advisory_lock(?, ?)")) {
            for (int slot : candidates) {
                if (owned.size() >= fairShare) {
                    return;
                }
                tryLock.setInt(1, slotLockKey);
                tryLock.setInt(2, slot);
                try (ResultSet rs = tryLock.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        owned.add(slot);
                    }
                }
            }
        }
    }

    private void release(int slot) throws SQLException {
        try (PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(?, ?)")) {
            unlock.setInt(1, slotLockKey);
            unlock.setInt(2, slot);
            unlock.execute();
        }
        owned.remove(slot);
    }

    private void lose() {
        owned.clear();
        if (connection != null) {
            try {
                connection.close();
            }
            catch (SQLException ignored) {
                // the connection is broken already; PostgreSQL frees its locks either way
            }
        }
        connection = null;
    }
}
