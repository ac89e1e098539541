package io.reel.core.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What CloudFront does with a signed URL that uses a custom policy, with real cryptography, to test a signer against:
 * the {@code Key-Pair-Id} must name a public key of the distribution's trusted key group; {@code Policy} and
 * {@code Signature} are un-substituted ({@code -}→{@code +}, {@code _}→{@code =}, {@code ~}→{@code /}) and
 * base64-decoded; the signature must verify SHA1withRSA over the policy's bytes; the policy's single statement's
 * {@code Resource} (with {@code *} for any run of characters and {@code ?} for one) must match the requested URL with
 * CloudFront's own parameters removed; and the time must be before {@code DateLessThan} (and after
 * {@code DateGreaterThan}, if given). Not modelled: canned policies ({@code Expires}), {@code IpAddress}, cookies.
 */
final class FakeCloudFront {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SIGNING_PARAMETERS = Set.of("Policy", "Signature", "Key-Pair-Id", "Expires");

    private final Map<String, PublicKey> trustedKeys;
    private final Clock clock;

    FakeCloudFront(Map<String, PublicKey> trustedKeys, Clock clock) {
        this.trustedKeys = Map.copyOf(trustedKeys);
        this.clock = clock;
    }

    /** The same distribution, asked at another time. */
    FakeCloudFront at(Instant now) {
        return new FakeCloudFront(trustedKeys, Clock.fixed(now, ZoneOffset.UTC));
    }

    /** CloudFront's answer to a GET of {@code url}: 200, or 403 with the reason. */
    Response get(String url) {
        int question = url.indexOf('?');
        if (question < 0) {
            return denied("MissingKey: no Policy, Signature or Key-Pair-Id");
        }
        Map<String, String> signing = new HashMap<>();
        List<String> ownQuery = new ArrayList<>();
        for (String pair : url.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if (SIGNING_PARAMETERS.contains(name)) {
                if (signing.put(name, equals < 0 ? "" : pair.substring(equals + 1)) != null) {
                    return denied("MalformedQuery: " + name + " given twice");
                }
            } else {
                ownQuery.add(pair);
            }
        }
        String requested = url.substring(0, question) + (ownQuery.isEmpty() ? "" : "?" + String.join("&", ownQuery));

        String keyPairId = signing.get("Key-Pair-Id");
        if (keyPairId == null) {
            return denied("MissingKey: Key-Pair-Id");
        }
        PublicKey publicKey = trustedKeys.get(keyPairId);
        if (publicKey == null) {
            return denied("UnknownKey: " + keyPairId);
        }
        if (signing.get("Policy") == null) {
            return denied("MalformedPolicy: none (canned policies are not modelled)");
        }
        byte[] policy = decode(signing.get("Policy"));
        byte[] signature = decode(signing.getOrDefault("Signature", ""));
        if (policy == null || signature == null || signature.length == 0) {
            return denied("MalformedPolicy: Policy or Signature is not CloudFront's base64");
        }
        if (!verifies(publicKey, policy, signature)) {
            return denied("InvalidSignature");
        }

        JsonNode statements;
        try {
            statements = JSON.readTree(policy).path("Statement");
        } catch (IOException e) {
            return denied("MalformedPolicy: not JSON");
        }
        if (!statements.isArray() || statements.size() != 1) {
            return denied("MalformedPolicy: exactly one Statement is allowed");
        }
        JsonNode statement = statements.get(0);
        JsonNode resource = statement.path("Resource");
        if (!resource.isMissingNode() && !(resource.isTextual() && wildcard(resource.asText()).matcher(requested).matches())) {
            return denied("ResourceMismatch: " + requested + " is not " + resource);
        }
        JsonNode condition = statement.path("Condition");
        if (condition.has("IpAddress")) {
            return denied("MalformedPolicy: IpAddress is not modelled");
        }
        JsonNode lessThan = condition.path("DateLessThan").path("AWS:EpochTime");
        if (!lessThan.canConvertToLong()) {
            return denied("MalformedPolicy: no DateLessThan AWS:EpochTime");
        }
        long now = clock.instant().getEpochSecond();
        if (now >= lessThan.asLong()) {
            return denied("Expired: " + now + " is not before " + lessThan.asLong());
        }
        JsonNode greaterThan = condition.path("DateGreaterThan").path("AWS:EpochTime");
        if (!greaterThan.isMissingNode() && now <= greaterThan.asLong()) {
            return denied("NotYetValid");
        }
        return new Response(200, "OK");
    }

    private static byte[] decode(String value) {
        try {
            return Base64.getDecoder().decode(value.replace('-', '+').replace('_', '=').replace('~', '/'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean verifies(PublicKey key, byte[] policy, byte[] signature) {
        try {
            Signature rsa = Signature.getInstance("SHA1withRSA");
            rsa.initVerify(key);
            rsa.update(policy);
            return rsa.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A resource pattern: {@code *} any run of characters (including {@code /}), {@code ?} exactly one. */
    private static Pattern wildcard(String resource) {
        StringBuilder regex = new StringBuilder();
        for (String literal : resource.split("(?<=[*?])|(?=[*?])")) {
            regex.append(switch (literal) {
                case "*" -> ".*";
                case "?" -> ".";
                default -> Pattern.quote(literal);
            });
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static Response denied(String reason) {
        return new Response(403, reason);
    }

    record Response(int status, String reason) {
    }
}
