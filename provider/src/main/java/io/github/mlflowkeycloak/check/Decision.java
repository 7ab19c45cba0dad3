package io.github.mlflowkeycloak.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowkeycloak.identity.Caller;
import jakarta.ws.rs.core.Response;

/**
 * What {@code /check} decided and why, made where it is decided: the one value that becomes both
 * the answer to NGINX and the audit record.
 *
 * @param outcome  what was decided
 * @param reason   what allowed it as far as the decision knows, or what was missing (the
 *                 refusal's own words)
 * @param response the answer to NGINX
 */
record Decision(Outcome outcome, String reason, Response response) {

    /** The outcomes as the audit trail names them. */
    enum Outcome {
        ALLOWED("allowed"),
        /** A filtered search or GraphQL answer given by /check itself. */
        ANSWERED("answered"),
        REFUSED("refused"),
        BAD_REQUEST("400"),
        UNAUTHENTICATED("401"),
        UNAVAILABLE("503");

        private final String auditName;

        Outcome(String auditName) {
            this.auditName = auditName;
        }

        String auditName() {
            return auditName;
        }
    }

    static Decision allowedAnonymous() {
        return new Decision(Outcome.ALLOWED, "public route", CheckResponses.allowAnonymous());
    }

    static Decision allowed(Caller caller, String reason) {
        return new Decision(Outcome.ALLOWED, reason, CheckResponses.allow(caller));
    }

    /** Allowed, and the gateway reports MLflow's answer to {@code object-events}. */
    static Decision allowedAndReported(Caller caller, String reason) {
        return new Decision(Outcome.ALLOWED, reason, CheckResponses.allowAndReport(caller));
    }

    /** This allowing decision, with the body MLflow is to receive instead of the client's (the caller as author). */
    Decision forwarding(byte[] body) {
        return new Decision(outcome, reason + "; the caller recorded as author", CheckResponses.forward(response, body));
    }

    static Decision answered(JsonNode answer, String reason) {
        return new Decision(Outcome.ANSWERED, reason, CheckResponses.answer(answer));
    }

    static Decision refused(String message) {
        return new Decision(Outcome.REFUSED, message, CheckResponses.forbidden(message));
    }

    /** Refused as MLflow answers an object that does not exist; the reason is what was missing. */
    static Decision refusedAsNotFound(String missing, String notFoundMessage) {
        return new Decision(Outcome.REFUSED, missing, CheckResponses.notFound(notFoundMessage));
    }

    static Decision badRequest(String message, boolean askedByAuthRequest) {
        return new Decision(Outcome.BAD_REQUEST, message, CheckResponses.badRequest(message, askedByAuthRequest));
    }

    static Decision unauthenticated(String realm, String error, String message) {
        return new Decision(Outcome.UNAUTHENTICATED, message, CheckResponses.unauthenticated(realm, error, message));
    }

    /** @param reason why, for the audit trail alone: the caller is told to try again */
    static Decision unavailable(String reason) {
        return new Decision(Outcome.UNAVAILABLE, reason,
                CheckResponses.unavailable("The authorization decision could not be taken; try again later."));
    }
}
