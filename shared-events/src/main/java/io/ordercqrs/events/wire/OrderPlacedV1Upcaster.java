package io.ordercqrs.events.wire;

import io.ordercqrs.events.EventType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code order.placed} version 1 carried one {@code currency} for the whole order and plain decimal
 * amounts ({@code "unitPrice": "12.50"}, {@code "total": "25.00"}); version 2 carries a money
 * object with its currency on every amount.
 */
final class OrderPlacedV1Upcaster implements Upcaster {

    @Override
    public String eventType() {
        return EventType.ORDER_PLACED.wireName();
    }

    @Override
    public int fromVersion() {
        return 1;
    }

    @Override
    public ObjectNode upcast(ObjectNode payload) {
        JsonNode currencyNode = payload.remove("currency");
        if (currencyNode == null || !currencyNode.isString()) {
            throw new MalformedEvent("order.placed v1 needs a string 'currency'");
        }
        String currency = currencyNode.stringValue();
        JsonNode lines = payload.get("lines");
        if (lines != null && lines.isArray()) {
            for (JsonNode line : lines) {
                if (line instanceof ObjectNode lineObject) {
                    toMoney(lineObject, "unitPrice", currency);
                }
            }
        }
        toMoney(payload, "total", currency);
        return payload;
    }

    private static void toMoney(ObjectNode owner, String field, String currency) {
        JsonNode amount = owner.get(field);
        if (amount == null || !(amount.isString() || amount.isNumber())) {
            throw new MalformedEvent("order.placed v1 needs a decimal '" + field + "'");
        }
        String decimal = amount.isNumber() ? amount.decimalValue().toPlainString() : amount.stringValue();
        ObjectNode money = owner.putObject(field);
        money.put("amount", decimal);
        money.put("currency", currency);
    }
}
