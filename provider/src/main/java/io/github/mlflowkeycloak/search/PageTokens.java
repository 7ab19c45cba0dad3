package io.github.mlflowkeycloak.search;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import io.github.mlflowkeycloak.request.BadRequestException;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * A filtered search's page tokens, sealed with the realm's AES key (AES-GCM, the key's id in the
 * token, so that a rotated key still opens the tokens it sealed while Keycloak keeps it). What a
 * token holds, MLflow's own page token, is an offset into MLflow's results, hidden ones included:
 * in the open it would count the objects the caller may not read. A token opens only for the
 * caller and the search it was given for, parameters included: replayed with another filter, its
 * offset would tell how many hidden results the first filter matched.
 */
public final class PageTokens {

    static final String PREFIX = "mlflow-keycloak:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Finds the realm's AES keys: the active one to seal, any by id to open. */
    interface Keys {
        KeyWrapper active();

        /** @return null when the realm has no such key (any more) */
        KeyWrapper byId(String kid);
    }

    private final Keys keys;
    private final String callerId;

    PageTokens(Keys keys, String callerId) {
        this.keys = keys;
        this.callerId = callerId;
    }

    /** For the caller Authorization Services evaluate (its id), with the keys of the session's realm. */
    public static PageTokens of(KeycloakSession session, String callerId) {
        return new PageTokens(new RealmKeys(session, session.getContext().getRealm()), callerId);
    }

    private record RealmKeys(KeycloakSession session, RealmModel realm) implements Keys {

        @Override
        public KeyWrapper active() {
            return session.keys().getActiveKey(realm, KeyUse.ENC, Algorithm.AES);
        }

        @Override
        public KeyWrapper byId(String kid) {
            return session.keys().getKey(realm, kid, KeyUse.ENC, Algorithm.AES);
        }
    }

    /** @param search what the token continues: the search and its parameters (it opens for that search only) */
    String seal(String search, byte[] position) {
        KeyWrapper key = keys.active();
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key.getSecretKey(), iv, search);
            byte[] sealed = cipher.doFinal(position);
            byte[] token = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return PREFIX + key.getKid() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a page token with the realm's AES key", e);
        }
    }

    /** @return what {@link #seal} sealed, for this caller and search */
    byte[] open(String search, String token) throws BadRequestException {
        if (!token.startsWith(PREFIX)) {
            throw new BadRequestException("The page token was not given by this MLflow gateway.");
        }
        String sealed = token.substring(PREFIX.length());
        int dot = sealed.lastIndexOf('.');
        KeyWrapper key = dot <= 0 ? null : keys.byId(sealed.substring(0, dot));
        if (key == null || key.getSecretKey() == null) {
            throw new BadRequestException("The page token is not valid, or has expired: search again from the first page.");
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(sealed.substring(dot + 1));
            if (bytes.length <= IV_BYTES) {
                throw new BadRequestException("The page token is not valid.");
            }
            byte[] iv = Arrays.copyOf(bytes, IV_BYTES);
            return cipher(Cipher.DECRYPT_MODE, key.getSecretKey(), iv, search).doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new BadRequestException("The page token is not valid.");
        }
    }

    private Cipher cipher(int mode, SecretKey key, byte[] iv, String search) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD((search + "\n" + callerId).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
