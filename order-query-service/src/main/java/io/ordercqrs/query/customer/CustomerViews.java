package io.ordercqrs.query.customer;

import io.ordercqrs.query.projection.ViewSet;
import java.util.Collection;
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

/** Reads customers' details from a set of views. */
@Repository
public class CustomerViews {

    private final MongoTemplate mongo;

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

        /** The customers among {@code ids} that are known, by id. */
        public Map<String, CustomerView> findAll(Collection<String> ids) {
            if (ids.isEmpty()) {
                return Map.of();
            }
            return mongo.find(Query.query(Criteria.where("_id").in(ids)), CustomerView.class, collection).stream()
                    .collect(Collectors.toMap(CustomerView::id, Function.identity()));
        }
    }
}
