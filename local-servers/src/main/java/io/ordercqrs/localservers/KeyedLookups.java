package io.ordercqrs.localservers;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.KeyConstraintError;
import java.util.List;
import java.util.Set;

/**
 * A unique index of the stand-in that also answers queries naming its keys and more, as MongoDB's
 * query planner does: it finds the candidates by its keys, and the collection checks the whole
 * query on them. The stand-in's own indexes answer only queries on exactly their keys, so a
 * conditional update such as {@code {_id: x, revision: 3}} scanned the whole collection. Results
 * are the same; only the way to them changes.
 *
 * @param <P> the stand-in's document positions
 */
final class KeyedLookups<P> extends Index<P> {

    private final Index<P> index;

    private KeyedLookups(Index<P> index) {
        super(index.getName(), index.getKeys(), index.toIndexDescription().getOrDefault("sparse", false) == Boolean.TRUE);
        this.index = index;
    }

    static <P> Index<P> of(Index<P> index) {
        return new KeyedLookups<>(index);
    }

    @Override
    public boolean canHandle(Document query) {
        return index.canHandle(keysOnly(query));
    }

    @Override
    public Iterable<P> getPositions(Document query) {
        return index.getPositions(keysOnly(query));
    }

    /**
     * The query's conditions on this index's keys, if it names them all and more (at its top level,
     * or as one of the conditions of a top-level {@code $and}); otherwise the query as it is.
     */
    private Document keysOnly(Document query) {
        List<String> keys = getKeys().stream().map(IndexKey::getKey).toList();
        if (query.size() > keys.size() && query.keySet().containsAll(keys)) {
            Document narrowed = new Document();
            keys.forEach(key -> narrowed.put(key, query.get(key)));
            return narrowed;
        }
        if (query.size() == 1 && query.get("$and") instanceof List<?> conditions) {
            for (Object condition : conditions) {
                if (condition instanceof Document document && document.keySet().equals(Set.copyOf(keys))) {
                    return document;
                }
            }
        }
        return query;
    }

    @Override
    public P getPosition(Document document) {
        return index.getPosition(document);
    }

    @Override
    public void checkAdd(Document document, MongoCollection<P> collection) {
        index.checkAdd(document, collection);
    }

    @Override
    public void add(Document document, P position, MongoCollection<P> collection) {
        index.add(document, position, collection);
    }

    @Override
    public P remove(Document document) {
        return index.remove(document);
    }

    @Override
    public long getCount() {
        return index.getCount();
    }

    @Override
    public boolean isEmpty() {
        return index.isEmpty();
    }

    @Override
    public long getDataSize() {
        return index.getDataSize();
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {
        index.checkUpdate(oldDocument, newDocument, collection);
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, P position, MongoCollection<P> collection)
            throws KeyConstraintError {
        index.updateInPlace(oldDocument, newDocument, position, collection);
    }

    @Override
    public void drop() {
        index.drop();
    }

    @Override
    public boolean isUnique() {
        return index.isUnique();
    }
}
