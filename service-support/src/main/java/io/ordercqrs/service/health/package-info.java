/** Health checks that stay bounded while the servers they check stall. */
package io.ordercqrs.service.health;
