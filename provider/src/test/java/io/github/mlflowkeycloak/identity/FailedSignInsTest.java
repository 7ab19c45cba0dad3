package io.github.mlflowkeycloak.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserLoginFailureModel;
import org.keycloak.models.UserLoginFailureProvider;

class FailedSignInsTest {

    private static final int T0 = 1_800_000_000;

    private final LoginFailureStore store = new LoginFailureStore();
    private final FailedSignIns failures = new FailedSignIns(3, 60);
    private final String key = FailedSignIns.key("ci-bot", "10.0.0.1");

    @Test
    void blocksAKeyAfterTheLimitUntilTheWindowEnds() {
        for (int i = 1; i <= 3; i++) {
            assertThat(failures.secondsBlocked(store, null, key, T0)).isZero();
            assertThat(failures.recordFailure(store, null, key, T0, "10.0.0.1")).isEqualTo(i);
        }
        assertThat(failures.secondsBlocked(store, null, key, T0)).isEqualTo(60);
        assertThat(failures.secondsBlocked(store, null, FailedSignIns.key("ci-bot", "10.0.0.2"), T0)).as("another address").isZero();
        assertThat(failures.secondsBlocked(store, null, FailedSignIns.key("other-bot", "10.0.0.1"), T0)).as("another client").isZero();
        assertThat(failures.secondsBlocked(store, null, key, T0 + 59)).isEqualTo(1);
        assertThat(failures.secondsBlocked(store, null, key, T0 + 60)).isZero();
        assertThat(failures.recordFailure(store, null, key, T0 + 60, "10.0.0.1")).as("a new window").isEqualTo(1);
    }

    @Test
    void failuresFurtherApartThanTheWindowDoNotAddUp() {
        failures.recordFailure(store, null, key, T0, "10.0.0.1");
        failures.recordFailure(store, null, key, T0 + 30, "10.0.0.1");
        assertThat(failures.recordFailure(store, null, key, T0 + 100, "10.0.0.1")).isEqualTo(1);
    }

    @Test
    void aSuccessClearsTheCount() {
        failures.recordFailure(store, null, key, T0, "10.0.0.1");
        failures.recordFailure(store, null, key, T0, "10.0.0.1");
        failures.recordSuccess(store, null, key);
        assertThat(store.entries).isEmpty();
        assertThat(failures.recordFailure(store, null, key, T0, "10.0.0.1")).isEqualTo(1);
    }

    @Test
    void anIpv6ClientCountsByItsNetwork() {
        assertThat(FailedSignIns.key("ci-bot", "2001:db8:1:2:aaaa::1"))
                .isEqualTo(FailedSignIns.key("ci-bot", "2001:0db8:0001:0002:ffff:ffff:ffff:fffe"))
                .isNotEqualTo(FailedSignIns.key("ci-bot", "2001:db8:1:3::1"))
                .endsWith("20010db800010002::/64");
        assertThat(FailedSignIns.key("ci-bot", "::ffff:10.0.0.1")).isEqualTo(FailedSignIns.key("ci-bot", "10.0.0.1"));
        assertThat(FailedSignIns.key("ci-bot", "10.0.0.1")).isNotEqualTo(FailedSignIns.key("ci-bot", "10.0.0.2"));
        assertThat(FailedSignIns.key("ci-bot", "unix:")).endsWith("\nunix:");
    }

    /** Keycloak's login-failure store, in memory. */
    private static final class LoginFailureStore implements UserLoginFailureProvider {
        private final Map<String, Failures> entries = new HashMap<>();

        @Override
        public UserLoginFailureModel getUserLoginFailure(RealmModel realm, String userId) {
            return entries.get(userId);
        }

        @Override
        public UserLoginFailureModel addUserLoginFailure(RealmModel realm, String userId) {
            return entries.computeIfAbsent(userId, Failures::new);
        }

        @Override
        public void removeUserLoginFailure(RealmModel realm, String userId) {
            entries.remove(userId);
        }

        @Override
        public void removeAllUserLoginFailures(RealmModel realm) {
            entries.clear();
        }

        @Override
        public void close() {
        }
    }

    private static final class Failures implements UserLoginFailureModel {
        private final String id;
        private int notBefore;
        private int count;
        private long lastFailure;
        private String lastAddress;

        Failures(String id) {
            this.id = id;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public String getUserId() {
            return id;
        }

        @Override
        public int getFailedLoginNotBefore() {
            return notBefore;
        }

        @Override
        public void setFailedLoginNotBefore(int notBefore) {
            this.notBefore = notBefore;
        }

        @Override
        public int getNumFailures() {
            return count;
        }

        @Override
        public void incrementFailures() {
            count++;
        }

        @Override
        public int getNumTemporaryLockouts() {
            return 0;
        }

        @Override
        public void incrementTemporaryLockouts() {
        }

        @Override
        public void clearFailures() {
            count = 0;
            notBefore = 0;
            lastFailure = 0;
            lastAddress = null;
        }

        @Override
        public long getLastFailure() {
            return lastFailure;
        }

        @Override
        public void setLastFailure(long lastFailure) {
            this.lastFailure = lastFailure;
        }

        @Override
        public String getLastIPFailure() {
            return lastAddress;
        }

        @Override
        public void setLastIPFailure(String address) {
            this.lastAddress = address;
        }

        @Override
        public int getNumSecondaryAuthFailures() {
            return 0;
        }

        @Override
        public void incrementSecondaryAuthFailures() {
        }

        @Override
        public void clearPrimaryAndSecondaryAuthFailures() {
            clearFailures();
        }
    }
}
