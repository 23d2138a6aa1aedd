package io.ordercqrs.localservers;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * A MongoDB wire-protocol server (mongo-java-server), standing in for {@code mongod} where none can
 * run. It shares single-document conditional updates, indexes and queries with real MongoDB, but
 * not multi-document transactions or change streams, so the application uses neither. Its unique
 * indexes find the documents of any query that names their keys (see {@link KeyedLookups}).
 */
public final class LocalMongo implements AutoCloseable {

    /**
     * The data file's page cache. The store keeps documents and index keys Java-serialized in its
     * pages: with the file's default 16 MB, a few tens of thousands of order views no longer fit,
     * and every write then reads its pages back from the file and deserializes them again.
     */
    private static final int CACHE_MEGABYTES = 512;

    private final MongoServer server;
    private final MongoBackend backend;
    private final InetSocketAddress address;

    private LocalMongo(MongoBackend backend, int port) {
        this.backend = backend;
        this.server = new MongoServer(backend);
        server.bind("127.0.0.1", FreePorts.orNext(port));
        this.address = server.getLocalAddress();
    }

    /**
     * Starts a server.
     *
     * @param dataFile where the data lives between runs (an H2 MVStore file); {@code null} for memory only
     * @param port     the port to listen on, or 0 for any free one
     */
    public static LocalMongo start(Path dataFile, int port) {
        if (dataFile == null) {
            return new LocalMongo(new MemoryBackend() {
                @Override
                public Document handleCommand(Channel channel, String database, String command, Document query) {
                    return super.handleCommand(channel, database, understood(command), query);
                }

                @Override
                public MemoryDatabase openOrCreateDatabase(String databaseName) {
                    return new MemoryDatabase(databaseName, getCursorRegistry()) {
                        @Override
                        protected Index<Integer> openOrCreateUniqueIndex(String collection, String name,
                                List<IndexKey> keys, boolean sparse) {
                            return KeyedLookups.of(super.openOrCreateUniqueIndex(collection, name, keys, sparse));
                        }
                    };
                }
            }, port);
        }
        try {
            Files.createDirectories(dataFile.toAbsolutePath().getParent());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MVStore store = new MVStore.Builder().fileName(dataFile.toString()).cacheSize(CACHE_MEGABYTES).open();
        return new LocalMongo(new H2Backend(store) {
            @Override
            public Document handleCommand(Channel channel, String database, String command, Document query) {
                return super.handleCommand(channel, database, understood(command), query);
            }

            @Override
            protected MongoDatabase openOrCreateDatabase(String databaseName) {
                return new H2Database(databaseName, getMvStore(), getCursorRegistry()) {
                    @Override
                    protected Index<Object> openOrCreateUniqueIndex(String collection, String name,
                            List<IndexKey> keys, boolean sparse) {
                        // Opened here first, under the stand-in's own name for it, with the keys in
                        // the same order but compared without serializing them each time: the
                        // stand-in then finds the map open.
                        getMvStore().openMap(indexMapName(getFullCollectionNamespace(collection), name),
                                new MVMap.Builder<>().keyType(new SerializedKeyOrder()));
                        return KeyedLookups.of(super.openOrCreateUniqueIndex(collection, name, keys, sparse));
                    }
                };
            }
        }, port);
    }

    /** Where the stand-in's file backend keeps a unique index of a collection (by its namespace). */
    static String indexMapName(String collectionNamespace, String index) {
        return collectionNamespace + "._index_" + index;
    }

    /**
     * The stand-in predates the {@code hello} handshake command that current drivers and Spring
     * Boot's MongoDB health check send; it answers the equivalent legacy {@code isMaster}.
     */
    private static String understood(String command) {
        return "hello".equalsIgnoreCase(command) ? "isMaster" : command;
    }

    /** The data file's store, for tests; {@code null} in memory. */
    MVStore fileStore() {
        return backend instanceof H2Backend h2 ? h2.getMvStore() : null;
    }

    public int port() {
        return address.getPort();
    }

    /** Connection string for the given database. */
    public String uri(String database) {
        return "mongodb://127.0.0.1:" + port() + "/" + database;
    }

    @Override
    public void close() {
        server.shutdownNow();
        if (backend instanceof H2Backend h2) {
            h2.close();
        }
    }
}
