package io.reel.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.domain.SignedUrl;
import io.reel.core.port.UrlSigner.PrefixSigner;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link CloudFrontUrlSigner}'s URLs as CloudFront ({@link FakeCloudFront}, real RSA) judges them; no network. */
class CloudFrontUrlSignerTest {
    private static final String DOMAIN = "d111111abcdef8.cloudfront.net";
    private static final String KEY_PAIR_ID = "K2JCJMDEHXQW5F";
    private static final KeyPair KEYS = rsa(2048);
    private static final KeyPair OTHER_KEYS = rsa(2048);
    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05.750Z");
    private static final Instant NOW_SECOND = Instant.parse("2030-01-02T03:04:05Z");
    private static final String VIDEO_A = "videos/01J8ZQ4K7T3V9X2M5N6P8R0S1A/";
    private static final String VIDEO_B = "videos/01J8ZQ4K7T3V9X2M5N6P8R0S1B/";
    private static final String KEY = VIDEO_A + "hls/720p/segment_00042.m4s";

    private final CloudFrontUrlSigner signer = signer(pkcs8Pem(KEYS.getPrivate()));
    private final FakeCloudFront cloudFront = new FakeCloudFront(Map.of(KEY_PAIR_ID, KEYS.getPublic()),
            Clock.fixed(NOW, ZoneOffset.UTC));

    // --- One URL -----------------------------------------------------------------------------------------------

    @Test
    void sign_givesAUrlCloudFrontAccepts_expiringAtTheWholeSecondPlusTheLifetime() {
        SignedUrl signed = signer.sign(KEY, Duration.ofMinutes(5));

        assertThat(cloudFront.get(signed.url().toString()).status()).isEqualTo(200);
        assertThat(signed.expiresAt()).isEqualTo(NOW_SECOND.plus(Duration.ofMinutes(5)));
        assertThat(signed.url().toString()).startsWith("https://" + DOMAIN + "/" + KEY + "?Policy=")
                .contains("&Signature=").endsWith("&Key-Pair-Id=" + KEY_PAIR_ID);
        assertThat(policy(signed.url().toString())).isEqualTo("{\"Statement\":[{\"Resource\":\"https://" + DOMAIN + "/" + KEY
                + "\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":" + signed.expiresAt().getEpochSecond() + "}}}]}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b.m4s", "plus+sign.m4s", "ünïcødé.m4s", "🎬.m4s", "tilde~.m4s", "eq=amp&pct%.m4s", "star*q?.m4s",
            "quote\"back\\slash.m4s", "hash#.m4s", "double//slash.m4s"})
    void sign_keysNeedingEncoding_areEncodedAlikeInTheUrlAndThePolicy(String name) {
        String url = signer.sign(VIDEO_A + name, Duration.ofMinutes(5)).url().toString();

        assertThat(cloudFront.get(url).status()).isEqualTo(200);
        assertThat(url).startsWith("https://" + DOMAIN + "/" + VIDEO_A + ObjectKeys.encodePath(name) + "?Policy=");
        assertThat(policy(url)).contains("\"Resource\":\"https://" + DOMAIN + "/" + ObjectKeys.encodePath(VIDEO_A + name) + "\"");
    }

    @Test
    void sign_pathEncoding_isS3s() {
        assertThat(ObjectKeys.encodePath("v 1/a+b~c*d=e&f%g/ü🎬"))
                .isEqualTo("v%201/a%2Bb~c%2Ad%3De%26f%25g/%C3%BC%F0%9F%8E%AC");
    }

    @Test
    void sign_anotherObjectWithThisQuery_is403() {
        String url = signer.sign(KEY, Duration.ofMinutes(5)).url().toString();

        var response = cloudFront.get(url.replace("segment_00042", "segment_00043"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.reason()).startsWith("ResourceMismatch");
    }

    @Test
    void sign_atItsExpiry_is403_aSecondBefore_is200() {
        SignedUrl signed = signer.sign(KEY, Duration.ofMinutes(5));

        assertThat(cloudFront.at(signed.expiresAt().minusSeconds(1)).get(signed.url().toString()).status()).isEqualTo(200);
        var expired = cloudFront.at(signed.expiresAt()).get(signed.url().toString());
        assertThat(expired.status()).isEqualTo(403);
        assertThat(expired.reason()).startsWith("Expired");
    }

    @Test
    void policyWithALaterEpoch_keepingTheSignature_is403() {
        SignedUrl signed = signer.sign(KEY, Duration.ofMinutes(5));
        String url = signed.url().toString();
        String epoch = String.valueOf(signed.expiresAt().getEpochSecond());
        String stretched = policy(url).replace(epoch, String.valueOf(signed.expiresAt().getEpochSecond() + 86_400));

        var response = cloudFront.get(url.replace(queryValue(url, "Policy"), cloudFrontBase64(stretched)));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.reason()).isEqualTo("InvalidSignature");
    }

    @Test
    void tamperedSignature_is403() {
        String url = signer.sign(KEY, Duration.ofMinutes(5)).url().toString();
        String signature = queryValue(url, "Signature");
        String flipped = (signature.charAt(0) == 'A' ? 'B' : 'A') + signature.substring(1);

        var response = cloudFront.get(url.replace("Signature=" + signature, "Signature=" + flipped));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.reason()).isEqualTo("InvalidSignature");
    }

    @Test
    void unknownKeyPairId_is403() {
        String url = signer.sign(KEY, Duration.ofMinutes(5)).url().toString();

        var response = cloudFront.get(url.replace("Key-Pair-Id=" + KEY_PAIR_ID, "Key-Pair-Id=K3OTHERKEY0000"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.reason()).startsWith("UnknownKey");
    }

    @Test
    void signedWithAKeyThatIsNotTheRegisteredOne_is403() {
        CloudFrontUrlSigner impostor = signer(pkcs8Pem(OTHER_KEYS.getPrivate()));

        var response = cloudFront.get(impostor.sign(KEY, Duration.ofMinutes(5)).url().toString());

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.reason()).isEqualTo("InvalidSignature");
    }

    // --- Many URLs under one prefix --------------------------------------------------------------------------------

    @Test
    void forSite_urlsAreSiteRelative_andAcceptedOnAnyNameTheDistributionAnswersTo() {
        CloudFrontUrlSigner site = CloudFrontUrlSigner.forSite(KEY_PAIR_ID, pkcs8Pem(KEYS.getPrivate()),
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(12));

        SignedUrl one = site.sign(KEY, Duration.ofMinutes(5));
        PrefixSigner batch = site.under(VIDEO_A, Duration.ofHours(2));
        String segment = batch.url(VIDEO_A + "hls/720p/segment_00001.m4s");

        assertThat(one.url().toString()).startsWith("/" + KEY + "?Policy=");
        assertThat(segment).startsWith("/" + VIDEO_A + "hls/720p/segment_00001.m4s?Policy=");
        assertThat(policy(one.url().toString())).contains("\"Resource\":\"https://*/" + KEY + "\"");
        assertThat(policy(segment)).contains("\"Resource\":\"https://*/" + VIDEO_A + "*\"");
        for (String host : List.of("https://" + DOMAIN, "https://reel.example.com")) {
            assertThat(cloudFront.get(host + one.url()).status()).as(host).isEqualTo(200);
            assertThat(cloudFront.get(host + segment).status()).as(host).isEqualTo(200);
        }
        String otherVideo = segment.replace(VIDEO_A, VIDEO_B);
        assertThat(cloudFront.get("https://" + DOMAIN + otherVideo).status()).as("another video's key").isEqualTo(403);
    }

    @Test
    void under_everyKeyOfAPlaylist_isAccepted_withOneSharedQuery() {
        PrefixSigner batch = signer.under(VIDEO_A, Duration.ofHours(2));
        List<String> urls = IntStream.range(0, 1_800).mapToObj(i -> batch.url(VIDEO_A + "hls/720p/segment_%05d.m4s".formatted(i)))
                .toList();

        assertThat(urls).allSatisfy(url -> assertThat(cloudFront.get(url).status()).as(url).isEqualTo(200));
        assertThat(urls.stream().map(url -> url.substring(url.indexOf('?'))).distinct()).hasSize(1);
        assertThat(batch.expiresAt()).isEqualTo(NOW_SECOND.plus(Duration.ofHours(2)));
        assertThat(policy(urls.getFirst())).isEqualTo("{\"Statement\":[{\"Resource\":\"https://" + DOMAIN + "/" + VIDEO_A
                + "*\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":" + batch.expiresAt().getEpochSecond() + "}}}]}");
    }

    @Test
    void under_keysNeedingEncoding_andAPrefixNeedingIt_areAccepted() {
        String prefix = "videos/a b+c ü/";
        PrefixSigner batch = signer.under(prefix, Duration.ofHours(2));

        for (String name : List.of("x y.m4s", "ü*?.m4s", "🎬/deep/er.m4s", "%41.m4s")) {
            String url = batch.url(prefix + name);
            assertThat(cloudFront.get(url).status()).as(url).isEqualTo(200);
        }
        assertThat(policy(batch.url(prefix + "x"))).contains("\"Resource\":\"https://" + DOMAIN + "/videos/a%20b%2Bc%20%C3%BC/*\"");
    }

    @Test
    void under_anotherVideosKey_withThisVideosQuery_is403() {
        PrefixSigner batch = signer.under(VIDEO_A, Duration.ofHours(2));
        String url = batch.url(VIDEO_A + "hls/720p/segment_00001.m4s");

        for (String other : List.of(url.replace(VIDEO_A, VIDEO_B), url.replace(VIDEO_A, VIDEO_A.substring(0, VIDEO_A.length() - 1) + "X/"),
                url.replace(VIDEO_A, "videos/"), url.replace("/" + VIDEO_A, "/other/" + VIDEO_A))) {
            var response = cloudFront.get(other);
            assertThat(response.status()).as(other).isEqualTo(403);
            assertThat(response.reason()).startsWith("ResourceMismatch");
        }
    }

    @Test
    void under_expired_is403() {
        PrefixSigner batch = signer.under(VIDEO_A, Duration.ofSeconds(30));
        String url = batch.url(KEY);

        assertThat(cloudFront.at(batch.expiresAt()).get(url).status()).isEqualTo(403);
    }

    @ParameterizedTest
    @ValueSource(strings = {VIDEO_B + "hls/a.m4s", VIDEO_A, VIDEO_A + "../" + VIDEO_B + "a.m4s", VIDEO_A + "./a.m4s",
            VIDEO_A + "a\nb", VIDEO_A + "a\uD800", "a.m4s", ""})
    void under_aKeyOutsideThePrefixOrUnsafe_isRefused(String key) {
        PrefixSigner batch = signer.under(VIDEO_A, Duration.ofHours(2));

        assertThatThrownBy(() -> batch.url(key)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "videos", "/videos/", "../", "videos/../", "videos/a\tb/"})
    void under_anUnsafePrefix_isRefused(String prefix) {
        assertThatThrownBy(() -> signer.under(prefix, Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class);
    }

    // --- As of a given instant ----------------------------------------------------------------------------------

    @Test
    void underAsOf_theStartOfTheHour_expiresThenPlusTheLifetime_andIsTheSameUrlFromAnySignerWithTheKey() {
        Instant hour = Instant.parse("2030-01-02T03:00:00Z");
        String poster = VIDEO_A + "poster.jpg";

        PrefixSigner batch = signer.under(VIDEO_A, hour, Duration.ofHours(2));
        String url = batch.url(poster);

        assertThat(batch.expiresAt()).isEqualTo(Instant.parse("2030-01-02T05:00:00Z"));
        assertThat(policy(url)).isEqualTo("{\"Statement\":[{\"Resource\":\"https://" + DOMAIN + "/" + VIDEO_A
                + "*\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":" + batch.expiresAt().getEpochSecond() + "}}}]}");
        assertThat(cloudFront.get(url).status()).isEqualTo(200);
        assertThat(cloudFront.at(Instant.parse("2030-01-02T04:59:59Z")).get(url).status()).isEqualTo(200);
        var expired = cloudFront.at(batch.expiresAt()).get(url);
        assertThat(expired.status()).isEqualTo(403);
        assertThat(expired.reason()).startsWith("Expired");
        var laterInTheHour = new CloudFrontUrlSigner(DOMAIN, KEY_PAIR_ID, pkcs8Pem(KEYS.getPrivate()),
                Clock.fixed(Instant.parse("2030-01-02T03:59:59Z"), ZoneOffset.UTC), Duration.ofHours(12));
        assertThat(laterInTheHour.under(VIDEO_A, hour.plusMillis(999), Duration.ofHours(2)).url(poster))
                .as("another container, later in the hour").isEqualTo(url);
    }

    @Test
    void underAsOf_signsEachWindowsPolicyOnce_whileUndatedBatchesAreSignedEachTime() {
        CloudFrontUrlSigner fresh = signer(pkcs8Pem(KEYS.getPrivate()));
        Instant hour = Instant.parse("2030-01-02T03:00:00Z");
        List<String> prefixes = IntStream.range(0, 20).mapToObj(i -> "videos/%026d/".formatted(i)).toList();

        List<String> first = prefixes.stream().map(p -> fresh.under(p, hour, Duration.ofHours(2)).url(p + "poster.jpg")).toList();
        List<String> again = prefixes.stream().map(p -> fresh.under(p, hour, Duration.ofHours(2)).url(p + "poster.jpg")).toList();

        assertThat(fresh.policiesSigned()).as("one signature a video for the window").isEqualTo(20);
        assertThat(again).isEqualTo(first).allSatisfy(url -> assertThat(cloudFront.get(url).status()).isEqualTo(200));
        fresh.under(VIDEO_A, hour.minus(Duration.ofHours(1)), Duration.ofHours(2)).url(KEY);
        assertThat(fresh.policiesSigned()).as("another window is another policy").isEqualTo(21);
        fresh.under(VIDEO_A, Duration.ofHours(2));
        fresh.under(VIDEO_A, Duration.ofHours(2));
        assertThat(fresh.policiesSigned()).as("playback and playlists sign their own batches").isEqualTo(23);
    }

    @Test
    void underAsOf_keepsOnlyTheLatestPolicies() {
        CloudFrontUrlSigner keepsThree = new CloudFrontUrlSigner(DOMAIN, KEY_PAIR_ID, pkcs8Pem(KEYS.getPrivate()),
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(12), 3);
        Instant hour = Instant.parse("2030-01-02T03:00:00Z");
        for (String video : List.of("a", "b", "c", "d")) {
            keepsThree.under("videos/" + video + "/", hour, Duration.ofHours(2));
        }

        keepsThree.under("videos/d/", hour, Duration.ofHours(2));
        keepsThree.under("videos/b/", hour, Duration.ofHours(2));
        assertThat(keepsThree.policiesSigned()).as("the latest three kept").isEqualTo(4);
        keepsThree.under("videos/a/", hour, Duration.ofHours(2));
        assertThat(keepsThree.policiesSigned()).as("the eldest signed again").isEqualTo(5);
    }

    @Test
    void underAsOf_aLifetimeOverTheCap_isCapped_fromTheSigningInstant() {
        Instant hour = Instant.parse("2030-01-02T03:00:00Z");

        assertThat(signer.under(VIDEO_A, hour, Duration.ofDays(30)).expiresAt()).isEqualTo(hour.plus(Duration.ofHours(12)));
    }

    @Test
    void underAsOf_aLaterInstant_anExpiredWindowOrNone_isRefused() {
        assertThatThrownBy(() -> signer.under(VIDEO_A, NOW.plusSeconds(1), Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("later");
        assertThatThrownBy(() -> signer.under(VIDEO_A, NOW_SECOND.minus(Duration.ofHours(2)), Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> signer.under(VIDEO_A, null, Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.under(VIDEO_A, NOW, Duration.ofMillis(999))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.under("videos", NOW, Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {VIDEO_B + "poster.jpg", VIDEO_A, VIDEO_A + "../" + VIDEO_B + "poster.jpg", VIDEO_A + "./poster.jpg",
            "poster.jpg", ""})
    void underAsOf_aKeyOutsideThePrefixOrUnsafe_isRefused(String key) {
        PrefixSigner batch = signer.under(VIDEO_A, Instant.parse("2030-01-02T03:00:00Z"), Duration.ofHours(2));

        assertThatThrownBy(() -> batch.url(key)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- Lifetimes ---------------------------------------------------------------------------------------------

    @Test
    void lifetime_isCappedAtMaxLifetime_andCountedInWholeSeconds() {
        assertThat(signer.sign(KEY, Duration.ofDays(30)).expiresAt()).isEqualTo(NOW_SECOND.plus(Duration.ofHours(12)));
        assertThat(signer.under(VIDEO_A, Duration.ofDays(30)).expiresAt()).isEqualTo(NOW_SECOND.plus(Duration.ofHours(12)));
        assertThat(signer.sign(KEY, Duration.ofMillis(90_900)).expiresAt()).isEqualTo(NOW_SECOND.plusSeconds(90));
    }

    @Test
    void nonPositiveOrSubSecondLifetimes_areRefused() {
        for (Duration lifetime : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), Duration.ofMillis(999), null}) {
            assertThatThrownBy(() -> signer.sign(KEY, lifetime)).as(String.valueOf(lifetime))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> signer.under(VIDEO_A, lifetime)).as(String.valueOf(lifetime))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    // --- Configuration -----------------------------------------------------------------------------------------

    @Test
    void pkcs1Pem_asOpensslGenrsaWritesIt_signsUrlsCloudFrontAccepts() throws Exception {
        byte[] pkcs1 = PrivateKeyInfo.getInstance(KEYS.getPrivate().getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
        String pem = pem("RSA PRIVATE KEY", pkcs1);

        CloudFrontUrlSigner fromPkcs1 = signer(pem);

        assertThat(cloudFront.get(fromPkcs1.sign(KEY, Duration.ofMinutes(5)).url().toString()).status()).isEqualTo(200);
        assertThat(cloudFront.get(fromPkcs1.under(VIDEO_A, Duration.ofMinutes(5)).url(KEY)).status()).isEqualTo(200);
    }

    @Test
    void pem_withCrlfLinesAndSurroundingText_isRead() {
        String pem = "Bag Attributes\r\n" + pkcs8Pem(KEYS.getPrivate()).replace("\n", "\r\n") + "trailing\r\n";

        assertThat(cloudFront.get(signer(pem).sign(KEY, Duration.ofMinutes(5)).url().toString()).status()).isEqualTo(200);
    }

    @Test
    void garbledPem_isRefused_withoutQuotingTheKey() {
        String good = pkcs8Pem(KEYS.getPrivate());
        String body = good.split("\n")[1]; // the DER header: sequence lengths, version, algorithm
        String garbled = good.replace(body, new StringBuilder(body).reverse().toString());

        assertThatThrownBy(() -> signer(garbled)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not hold a valid RSA private key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(body.substring(0, 16))
                        .doesNotContain(new StringBuilder(body).reverse().substring(0, 16)));
    }

    @Test
    void pemsThatAreNotAnUnencryptedRsaPrivateKey_areRefusedClearly() throws Exception {
        String pkcs8 = pkcs8Pem(KEYS.getPrivate());
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        Map<String, String> refusals = Map.of(
                "", "not a PEM RSA private key",
                "not a key at all", "not a PEM RSA private key",
                pem("PUBLIC KEY", KEYS.getPublic().getEncoded()), "not a PEM RSA private key",
                pkcs8.substring(0, pkcs8.indexOf("-----END")), "no -----END PRIVATE KEY----- line",
                pem("ENCRYPTED PRIVATE KEY", new byte[64]), "encrypted",
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n",
                "encrypted",
                pem("PRIVATE KEY", ec.generateKeyPair().getPrivate().getEncoded()), "does not hold a valid RSA private key",
                pkcs8Pem(rsa(1024).getPrivate()), "requires 2048 bits",
                pem("PRIVATE KEY", "short".getBytes(StandardCharsets.US_ASCII)), "does not hold a valid RSA private key");

        refusals.forEach((pem, message) -> assertThatThrownBy(() -> signer(pem)).as(message)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://d111111abcdef8.cloudfront.net", "d111111abcdef8.cloudfront.net/", "d111111abcdef8.cloudfront.net:443",
            "cloudfront", "", "d111 .cloudfront.net", "-d111.cloudfront.net"})
    void domainThatIsNotAHostName_isRefused(String domain) {
        assertThatThrownBy(() -> new CloudFrontUrlSigner(domain, KEY_PAIR_ID, pkcs8Pem(KEYS.getPrivate()), Clock.systemUTC(),
                Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("domain");
    }

    @Test
    void domain_isLowerCased_andAnAlternateDomainNameWorks() {
        var custom = new CloudFrontUrlSigner("Media.Example.COM", KEY_PAIR_ID, pkcs8Pem(KEYS.getPrivate()),
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(1));

        String url = custom.sign(KEY, Duration.ofMinutes(5)).url().toString();

        assertThat(url).startsWith("https://media.example.com/" + KEY + "?");
        assertThat(cloudFront.get(url).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "k2jcjmdehxqw5f", "K2JC JMDE", "K2JC&Policy=x"})
    void keyPairIdThatIsNotOne_isRefused(String keyPairId) {
        assertThatThrownBy(() -> new CloudFrontUrlSigner(DOMAIN, keyPairId, pkcs8Pem(KEYS.getPrivate()), Clock.systemUTC(),
                Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyPairId");
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static CloudFrontUrlSigner signer(String pem) {
        return new CloudFrontUrlSigner(DOMAIN, KEY_PAIR_ID, pem, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(12));
    }

    private static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pkcs8Pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String queryValue(String url, String name) {
        for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        throw new AssertionError(name + " missing from " + url);
    }

    /** The policy a URL carries, decoded. */
    private static String policy(String url) {
        String value = queryValue(url, "Policy").replace('-', '+').replace('_', '=').replace('~', '/');
        return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    }

    private static String cloudFrontBase64(String policy) {
        return Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8))
                .replace('+', '-').replace('=', '_').replace('/', '~');
    }
}
