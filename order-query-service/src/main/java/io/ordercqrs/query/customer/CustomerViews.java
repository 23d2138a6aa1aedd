package io.ordercqrs.query.customer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ordercqrs.query.projection.ViewSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;

/**
 * Reads customers' details from a set of views, and remembers what it read last of each (up to
 * {@value #REMEMBERED} customers) for callers that may start from details that are not the latest.
 */
@Repository
public class CustomerViews {

    private static final int REMEMBERED = 100_000;

    private final MongoTemplate mongo;
    private final Cache<String, CustomerView> lastRead = Caffeine.newBuilder().maximumSize(REMEMBERED).build();

    CustomerViews(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** The customers of one set of views. */
    public In in(ViewSet views) {
        return new In(views.collection(CustomerView.VIEW));
    }

    /** Customers' details in one set of views. */
    public final class In {

        private final String collection;

        private In(String collection) {
            this.collection = collection;
        }

        public Optional<CustomerView> findById(String id) {
            return Optional.ofNullable(mongo.findById(id, CustomerView.class, collection));
        }

        /**
         * Notes that views of these customers' orders are written before their details are known:
         * a placeholder (version 0) for each customer not known yet, so that their registration
         * knows it has order views to complete.
         */
        public void awaitDetails(Collection<String> ids) {
            if (ids.isEmpty()) {
                return;
            }
            BulkOperations placeholders = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, CustomerView.class,
                    collection);
            ids.forEach(id -> placeholders.upsert(Query.query(Criteria.where("_id").is(id)),
                    new Update().setOnInsert("version", 0L).setOnInsert("revision", 0L)));
            placeholders.execute();
        }

        /** The customers among {@code ids} that are known, by id, as stored now. */
        public Map<String, CustomerView> findAll(Collection<String> ids) {
            if (ids.isEmpty()) {
                return Map.of();
            }
            Map<String, CustomerView> found = mongo.find(Query.query(Criteria.where("_id").in(ids)), CustomerView.class,
                    collection).stream().collect(Collectors.toMap(CustomerView::id, Function.identity()));
            found.values().forEach(customer -> lastRead.put(key(customer.id()), customer));
            return found;
        }

        /**
         * The customers among {@code ids} that are known, by id: as this instance read them last, or
         * as stored for those it has not read. Details read earlier may have changed since; only for
         * callers that read the customers again from the store before relying on them (an order
         * view's customer join does, after writing the views).
         */
        public Map<String, CustomerView> findAllAsLastRead(Collection<String> ids) {
            Map<String, CustomerView> known = new HashMap<>();
            List<String> unread = new ArrayList<>();
            for (String id : ids) {
                CustomerView remembered = lastRead.getIfPresent(key(id));
                if (remembered != null) {
                    known.put(id, remembered);
                }
                else {
                    unread.add(id);
                }
            }
            known.putAll(findAll(unread));
            return known;
        }

        private String key(String id) {
            return collection + "/" + id;
        }
    }
}
