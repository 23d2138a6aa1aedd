/** Orders: placing, paying, shipping, delivering and cancelling; the Order aggregate and its REST API. */
package io.ordercqrs.command.order;
