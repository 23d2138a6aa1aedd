/** The query API's HTTP edge: its problem details and its API description. */
@NullMarked
package io.ordercqrs.query.web;

import org.jspecify.annotations.NullMarked;
