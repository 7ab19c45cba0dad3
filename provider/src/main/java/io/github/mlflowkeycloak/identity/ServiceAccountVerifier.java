package io.github.mlflowkeycloak.identity;

import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
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
            return new Result.Blocked(blocked);
        }
        Optional<Caller> caller = signIn(session, realm, credentials);
        if (caller.isPresent()) {
            failures.recordSuccess(store, realm, key);
            return new Result.SignedIn(caller.get());
        }
        int count = failures.recordFailure(store, realm, key, now, address);
        LOG.warnf("MLflow service account sign-in failed: realm %s, client %s, from %s (%d in the current window)",
                realm.getName(), credentials.clientId(), address, count);
        return new Result.Refused();
    }

    private static Optional<Caller> signIn(KeycloakSession session, RealmModel realm, Credentials.Basic credentials) {
        ClientModel client = realm.getClientByClientId(credentials.clientId());
        if (client == null || !client.isEnabled() || client.isPublicClient() || !client.isServiceAccountsEnabled()
                || !CLIENT_SECRET_AUTHENTICATOR.equals(client.getClientAuthenticatorType()) || client.getSecret() == null) {
            return Optional.empty();
        }
        OIDCClientSecretConfigWrapper secrets = OIDCClientSecretConfigWrapper.fromClientModel(client);
        boolean valid = secrets.validateSecret(session, credentials.secret())
                || secrets.validateRotatedSecret(session, credentials.secret());
        if (!valid || secrets.isClientSecretExpired()) {
            return Optional.empty();
        }
        UserModel serviceAccount = session.users().getServiceAccount(client);
        if (serviceAccount == null || !serviceAccount.isEnabled()) {
            return Optional.empty();
        }
        return Optional.of(Caller.withoutToken(serviceAccount, client.getClientId()));
    }
}
