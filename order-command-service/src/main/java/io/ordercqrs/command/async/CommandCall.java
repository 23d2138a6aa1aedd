package io.ordercqrs.command.async;

import io.ordercqrs.service.security.Caller;

/**
 * One request carrying a command, as the controller received it.
 *
 * @param caller         who sent it; the command runs with their rights, also when accepted for later
 * @param operation      method and concrete path, such as {@code POST /orders/<id>/payment}
 * @param request        the request body as received (or {@code null}), for the idempotency fingerprint
 * @param idempotencyKey the {@code Idempotency-Key} header, or {@code null}
 * @param prefer         the {@code Prefer} header, or {@code null}
 */
public record CommandCall(Caller caller, String operation, Object request, String idempotencyKey, String prefer) {

    /** Whether the caller asked not to wait ({@code Prefer: respond-async}, RFC 7240). */
    public boolean respondAsync() {
        if (prefer == null) {
            return false;
        }
        for (String preference : prefer.split(",")) {
            String token = preference.split("[=;]", 2)[0].trim();
            if (token.equalsIgnoreCase("respond-async")) {
                return true;
            }
        }
        return false;
    }
}
