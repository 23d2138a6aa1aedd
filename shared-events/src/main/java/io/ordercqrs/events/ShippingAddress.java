package io.ordercqrs.events;

import static io.ordercqrs.events.EventFields.requireText;

/** Where an order goes. {@code country} is an ISO 3166-1 alpha-2 code. */
public record ShippingAddress(String recipient, String street, String postalCode, String city, String country) {

    public ShippingAddress {
        requireText(recipient, "recipient");
        requireText(street, "street");
        requireText(postalCode, "postalCode");
        requireText(city, "city");
        requireText(country, "country");
    }
}
