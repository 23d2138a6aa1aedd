/** The customers' details as the read side knows them, joined into the other views. */
package io.ordercqrs.query.customer;
