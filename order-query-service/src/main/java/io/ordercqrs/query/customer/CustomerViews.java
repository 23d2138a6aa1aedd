package io.ordercqrs.query.customer;

import io.ordercqrs.query.projection.ViewSet;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
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
