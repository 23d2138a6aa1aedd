/** The ops admin API: dead letters, replays, rebuilds and verification, every action audited. */
package io.ordercqrs.query.admin;
