/** The customers' details as the read side knows them, joined into the other views. */
@NullMarked
package io.ordercqrs.query.customer;

import org.jspecify.annotations.NullMarked;
