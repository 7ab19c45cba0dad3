package io.github.mlflowkeycloak.identity;

import io.github.mlflowkeycloak.metrics.MlflowMetrics;
import io.micrometer.core.instrument.Counter;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserLoginFailureProvider;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.OIDCClientSecretConfigWrapper;

/**
 * Signs in a service account with its client's id and secret (HTTP Basic), the way Keycloak's
 * own client authentication checks a secret: an enabled, confidential client that authenticates
 * with a secret and has a service account; the primary or the still valid rotated secret,
 * compared in constant time; not expired. The service account's roles and groups then decide,
 * like a user's. Nothing is cached: the check reads Keycloak's cached client model, so a
 * disabled client or a new secret takes effect at the next request.
 */
public final class ServiceAccountVerifier {

    private static final Logger LOG = Logger.getLogger(ServiceAccountVerifier.class);
    private static final String CLIENT_SECRET_AUTHENTICATOR = "client-secret";
    /** The events' auth_method detail: signed in at the MLflow gateway, not at a Keycloak endpoint. */
    private static final String AUTH_METHOD = "mlflow-gateway";
    /** Errors of the events Keycloak has no word for. */
    static final String BLOCKED = "client_temporarily_blocked";
    static final String EXPIRED_SECRET = "client_secret_expired";
    private static final Counter REFUSED = MlflowMetrics.counter(MlflowMetrics.SIGN_IN_FAILURES, "result", "refused");
    private static final Counter BLOCKED_ATTEMPTS = MlflowMetrics.counter(MlflowMetrics.SIGN_IN_FAILURES, "result", "blocked");

    private final FailedSignIns failures;

    public ServiceAccountVerifier(int failureLimit, int failureWindowSeconds) {
        this.failures = new FailedSignIns(failureLimit, failureWindowSeconds);
    }

    /** The outcome of a sign-in: a caller, or why there is none. */
    public sealed interface Result {
        record SignedIn(Caller caller) implements Result {
        }

        record Refused() implements Result {
        }

        record Blocked(long retryAfterSeconds) implements Result {
        }
    }

    /** @param address where the attempt came from, as the gateway saw it */
    public Result verify(KeycloakSession session, Credentials.Basic credentials, String address) {
        RealmModel realm = session.getContext().getRealm();
        UserLoginFailureProvider store = session.loginFailures();
        String key = FailedSignIns.key(credentials.clientId(), address);
        int now = Time.currentTime();
        long blocked = failures.secondsBlocked(store, realm, key, now);
        if (blocked > 0) {
            BLOCKED_ATTEMPTS.increment();
            failedSignInEvent(session, realm, credentials.clientId(), address).error(BLOCKED);
            return new Result.Blocked(blocked);
        }
        SignIn signIn = signIn(session, realm, credentials);
        if (signIn.caller() != null) {
            failures.recordSuccess(store, realm, key);
            return new Result.SignedIn(signIn.caller());
        }
        REFUSED.increment();
        int count = failures.recordFailure(store, realm, key, now, address);
        LOG.warnf("MLflow service account sign-in failed: realm %s, client %s, from %s (%d in the current window): %s",
                realm.getName(), credentials.clientId(), address, count, signIn.error());
        failedSignInEvent(session, realm, credentials.clientId(), address).error(signIn.error());
        return new Result.Refused();
    }

    /**
     * A CLIENT_LOGIN_ERROR event, as Keycloak records a failed client credentials grant: stored
     * and shown under the realm's Events when the realm records that type.
     */
    private static EventBuilder failedSignInEvent(KeycloakSession session, RealmModel realm, String clientId, String address) {
        return new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.CLIENT_LOGIN)
                .client(clientId)
                .ipAddress(address)
                .detail(Details.AUTH_METHOD, AUTH_METHOD);
    }

    /** A service account, or the error (Keycloak's words) that says why there is none. */
    private record SignIn(Caller caller, String error) {

        static SignIn failed(String error) {
            return new SignIn(null, error);
        }
    }

    private static SignIn signIn(KeycloakSession session, RealmModel realm, Credentials.Basic credentials) {
        ClientModel client = realm.getClientByClientId(credentials.clientId());
        if (client == null) {
            return SignIn.failed(Errors.CLIENT_NOT_FOUND);
        }
        if (!client.isEnabled()) {
            return SignIn.failed(Errors.CLIENT_DISABLED);
        }
        if (client.isPublicClient() || !client.isServiceAccountsEnabled()
                || !CLIENT_SECRET_AUTHENTICATOR.equals(client.getClientAuthenticatorType()) || client.getSecret() == null) {
            return SignIn.failed(Errors.INVALID_CLIENT);
        }
        OIDCClientSecretConfigWrapper secrets = OIDCClientSecretConfigWrapper.fromClientModel(client);
        boolean valid = secrets.validateSecret(session, credentials.secret())
                || secrets.validateRotatedSecret(session, credentials.secret());
        if (!valid) {
            return SignIn.failed(Errors.INVALID_CLIENT_CREDENTIALS);
        }
        if (secrets.isClientSecretExpired()) {
            return SignIn.failed(EXPIRED_SECRET);
        }
        UserModel serviceAccount = session.users().getServiceAccount(client);
        if (serviceAccount == null || !serviceAccount.isEnabled()) {
            return SignIn.failed(Errors.USER_DISABLED);
        }
        return new SignIn(Caller.withoutToken(serviceAccount, client.getClientId()), null);
    }
}
