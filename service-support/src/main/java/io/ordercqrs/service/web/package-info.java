/** HTTP plumbing both services share: correlation ids and RFC 9457 problem details. */
package io.ordercqrs.service.web;
