package io.ordercqrs.query.customer;

import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Repository;

/** Reads customers' details from a set of view collections. */
@Repository
public class CustomerViews {

    private final MongoTemplate mongo;

    public CustomerViews(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** The customers among {@code ids} that are known, by id. */
    public Map<String, CustomerView> findAll(Collection<String> ids, String collection) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return mongo.find(Query.query(Criteria.where("_id").in(ids)), CustomerView.class, collection).stream()
                .collect(Collectors.toMap(CustomerView::id, Function.identity()));
    }
}
