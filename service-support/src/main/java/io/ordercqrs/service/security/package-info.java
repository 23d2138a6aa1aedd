/** Who is calling: OAuth2 resource-server setup, the caller's roles, and what each role may do. */
package io.ordercqrs.service.security;
