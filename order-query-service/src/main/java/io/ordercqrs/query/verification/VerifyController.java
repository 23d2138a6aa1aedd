package io.ordercqrs.query.verification;

import io.ordercqrs.query.audit.AdminAudit;
import io.ordercqrs.service.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Reconciliation for ops: every view against the source of truth. */
@RestController
@RequestMapping("/admin/verify")
@Tag(name = "Verify (ops)")
class VerifyController {

    private final Verification verification;
    private final AdminAudit audit;

    VerifyController(Verification verification, AdminAudit audit) {
        this.verification = verification;
        this.audit = audit;
    }

    @PostMapping
    @Operation(summary = "Compare every order view and customer summary with the command side's current state")
    Verification.Report verify(Caller caller, @AuthenticationPrincipal Jwt token) {
        Verification.Report report = verification.verify(token.getTokenValue());
        audit.record(caller, "verify", report.ordersChecked() + " orders and " + report.customersChecked()
                + " customers checked, " + report.differenceCount() + " differences");
        return report;
    }
}
