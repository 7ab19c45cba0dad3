package io.github.mlflowkeycloak.identity;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.regex.Pattern;

import org.keycloak.models.RealmModel;
import org.keycloak.models.UserLoginFailureModel;
import org.keycloak.models.UserLoginFailureProvider;

/**
 * Slows down guessing of client secrets: after {@code limit} failed sign-ins of one client from
 * one address within a window, further attempts from there are refused unchecked until the window
 * ends. Counted in Keycloak's own login-failure store (its Infinispan cache {@code loginFailures},
 * which every node of a cluster shares and which merges concurrent increments), under a key of
 * ours per client and address, beside the users' brute-force records; an entry lives as long as
 * the realm's brute-force "failure reset time" at most, or until the next success clears it.
 * An IPv6 client counts by its /64 network, which one host can rotate through.
 */
final class FailedSignIns {

    private static final String KEY_PREFIX = "mlflow-service-account\n";
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    private final int limit;
    private final int windowSeconds;

    FailedSignIns(int limit, int windowSeconds) {
        this.limit = limit;
        this.windowSeconds = windowSeconds;
    }

    /** The store's key for sign-ins of {@code clientId} from {@code address}. */
    static String key(String clientId, String address) {
        return KEY_PREFIX + clientId + '\n' + network(address);
    }

    /** Seconds until the key may try again, or 0 when it may try now ({@code now} in Keycloak's seconds). */
    long secondsBlocked(UserLoginFailureProvider store, RealmModel realm, String key, int now) {
        UserLoginFailureModel failures = store.getUserLoginFailure(realm, key);
        return failures == null ? 0 : Math.max(0, failures.getFailedLoginNotBefore() - now);
    }

    /** Records a failure; returns the failures of the key in the current window. */
    int recordFailure(UserLoginFailureProvider store, RealmModel realm, String key, int now, String address) {
        UserLoginFailureModel failures = store.getUserLoginFailure(realm, key);
        if (failures == null) {
            failures = store.addUserLoginFailure(realm, key);
        } else if (failures.getLastFailure() / 1000 + windowSeconds <= now) {
            failures.clearFailures();
        }
        failures.incrementFailures();
        failures.setLastFailure(now * 1000L);
        failures.setLastIPFailure(address);
        int count = failures.getNumFailures();
        if (count >= limit) {
            failures.setFailedLoginNotBefore(now + windowSeconds);
        }
        return count;
    }

    void recordSuccess(UserLoginFailureProvider store, RealmModel realm, String key) {
        if (store.getUserLoginFailure(realm, key) != null) {
            store.removeUserLoginFailure(realm, key);
        }
    }

    private static String network(String address) {
        if (address.indexOf(':') < 0 || !IPV6_LITERAL.matcher(address).matches()) {
            return address;
        }
        try {
            InetAddress parsed = InetAddress.getByName(address);
            if (parsed instanceof Inet6Address) {
                byte[] bytes = parsed.getAddress();
                return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
            }
            return parsed.getHostAddress();
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
