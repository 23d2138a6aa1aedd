/** The query API's HTTP edge: its bounds, its problem details and its API description. */
package io.ordercqrs.query.web;
