package io.ordercqrs.query.orderview;

import java.util.List;

/**
 * One page of order views, newest first.
 *
 * @param items      the views on this page
 * @param page       this page's number, from 0
 * @param size       the page size asked for
 * @param totalItems how many views match in all
 * @param totalPages how many pages of this size there are
 */
public record OrderPage(List<OrderView> items, int page, int size, long totalItems, long totalPages) {

    public OrderPage {
        items = List.copyOf(items);
    }

    static OrderPage of(List<OrderView> items, int page, int size, long totalItems) {
        return new OrderPage(items, page, size, totalItems, (totalItems + size - 1) / size);
    }
}
