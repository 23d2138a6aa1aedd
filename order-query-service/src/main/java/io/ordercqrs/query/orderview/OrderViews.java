package io.ordercqrs.query.orderview;

import io.ordercqrs.query.customer.CustomerView;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;

/** Reads and searches order views, and joins customers' details into them. */
@Repository
public class OrderViews {

    private final MongoTemplate mongo;

    public OrderViews(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    public Optional<OrderView> findById(String id, String collection) {
        return Optional.ofNullable(mongo.findById(id, OrderView.class, collection));
    }

    /** The views among {@code ids} that exist, by id. */
    public Map<String, OrderView> findAll(Collection<String> ids, String collection) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return mongo.find(Query.query(Criteria.where("_id").in(ids)), OrderView.class, collection).stream()
                .collect(Collectors.toMap(OrderView::id, Function.identity()));
    }

    /**
     * All orders of these customers, newest first, with only what a summary needs: status, totals,
     * payment, times and bookkeeping (no lines, timeline or addresses).
     */
    public List<OrderView> findSummaryFieldsByCustomers(Collection<String> customerIds, String collection) {
        if (customerIds.isEmpty()) {
            return List.of();
        }
        Query query = Query.query(Criteria.where("customerId").in(customerIds))
                .with(Sort.by(Sort.Direction.DESC, "placedAt").and(Sort.by("_id")));
        query.fields().include("version", "revision", "customerId", "customerVersion", "status", "total", "payment",
                "placedAt", "updatedAt");
        return mongo.find(query, OrderView.class, collection);
    }

    /**
     * Copies a customer's details into every view of their orders that has older ones. Each view
     * is one guarded single-document update, so a replay or a race never goes back in time.
     */
    public void joinCustomer(CustomerView customer, String collection) {
        Query stale = Query.query(Criteria.where("customerId").is(customer.id())
                .and("customerVersion").lt(customer.version()));
        Update details = new Update().set("customerName", customer.name()).set("customerEmail", customer.email())
                .set("customerVersion", customer.version()).inc("revision", 1);
        mongo.updateMulti(stale, details, OrderView.class, collection);
    }

    /** One page of views matching {@code search}, newest first, and how many match in all. */
    public OrderPage search(OrderSearch search, String collection) {
        Criteria criteria = new Criteria();
        if (search.customerId() != null) {
            criteria.and("customerId").is(search.customerId());
        }
        if (search.status() != null) {
            criteria.and("status").is(search.status());
        }
        if (search.placedFrom() != null || search.placedTo() != null) {
            Criteria placed = criteria.and("placedAt");
            if (search.placedFrom() != null) {
                placed.gte(search.placedFrom());
            }
            if (search.placedTo() != null) {
                placed.lt(search.placedTo());
            }
        }
        Query query = Query.query(criteria);
        long total = mongo.count(query, OrderView.class, collection);
        query.with(Sort.by(Sort.Direction.DESC, "placedAt").and(Sort.by(Sort.Direction.DESC, "_id")))
                .skip((long) search.page() * search.size())
                .limit(search.size());
        List<OrderView> items = mongo.find(query, OrderView.class, collection);
        return OrderPage.of(items, search.page(), search.size(), total);
    }

    /** What a list of orders may be narrowed by; every filter is optional. */
    public record OrderSearch(String customerId, OrderStatus status, Instant placedFrom, Instant placedTo, int page,
            int size) {
    }
}
