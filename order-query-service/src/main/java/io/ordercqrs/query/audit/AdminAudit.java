package io.ordercqrs.query.audit;

import io.ordercqrs.service.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Logs every admin action with who asked and what changed, to the {@code io.ordercqrs.audit} logger. */
@Component
public class AdminAudit {

    private static final Logger audit = LoggerFactory.getLogger("io.ordercqrs.audit");

    public void record(Caller caller, String action, String outcome) {
        audit.info("admin action by {}: {} -> {}", caller.subject(), action, outcome);
    }
}
