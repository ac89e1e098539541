package io.reel.localaws.kms;

import io.reel.localaws.calls.AwsCallLog;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CreateKeyRequest;
import software.amazon.awssdk.services.kms.model.CreateKeyResponse;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DisableKeyRequest;
import software.amazon.awssdk.services.kms.model.DisableKeyResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.EnableKeyRequest;
import software.amazon.awssdk.services.kms.model.EnableKeyResponse;
import software.amazon.awssdk.services.kms.model.EncryptRequest;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.GetPublicKeyRequest;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.SignRequest;
import software.amazon.awssdk.services.kms.model.SignResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;

/**
 * KMS for tests, with real cryptography: RSA signing keys (RSASSA-PKCS1-v1_5/SHA-256 as KMS signs) and AES-256-GCM
 * symmetric keys whose ciphertext blobs name their key and bind the encryption context, so tampering, the wrong
 * context, a disabled key or an unknown key fail as they do in KMS. The production KMS adapters run against it.
 */
public final class FakeKms implements KmsClient {
    private static final int MAX_RAW_MESSAGE = 4096;
    private static final byte BLOB_VERSION = 1;

    private final Map<String, FakeKey> keys = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** Creates a key as {@code CreateKey} would and returns its id. */
    public String createSigningKey() {
        return createKey(r -> r.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata().keyId();
    }

    public String createSymmetricKey() {
        return createKey(r -> r.keySpec(KeySpec.SYMMETRIC_DEFAULT).keyUsage(KeyUsageType.ENCRYPT_DECRYPT)).keyMetadata().keyId();
    }

    @Override
    public CreateKeyResponse createKey(CreateKeyRequest request) {
        String id = UUID.randomUUID().toString();
        KeySpec spec = request.keySpec() == null ? KeySpec.SYMMETRIC_DEFAULT : request.keySpec();
        try {
            FakeKey key = switch (spec) {
                case RSA_2048, RSA_3072, RSA_4096 -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(Integer.parseInt(spec.toString().substring(4)));
                    yield new FakeKey(id, KeyUsageType.SIGN_VERIFY, generator.generateKeyPair(), null);
                }
                case SYMMETRIC_DEFAULT -> {
                    KeyGenerator generator = KeyGenerator.getInstance("AES");
                    generator.init(256);
                    yield new FakeKey(id, KeyUsageType.ENCRYPT_DECRYPT, null, generator.generateKey());
                }
                default -> throw validation("FakeKms does not model key spec " + spec);
            };
            keys.put(id, key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return CreateKeyResponse.builder().keyMetadata(m -> m.keyId(id).arn(arn(id)).keySpec(spec)
                .keyUsage(keys.get(id).usage()).enabled(true)).build();
    }

    @Override
    public DisableKeyResponse disableKey(DisableKeyRequest request) {
        key(request.keyId()).enabled = false;
        return DisableKeyResponse.builder().build();
    }

    @Override
    public EnableKeyResponse enableKey(EnableKeyRequest request) {
        key(request.keyId()).enabled = true;
        return EnableKeyResponse.builder().build();
    }

    @Override
    public GetPublicKeyResponse getPublicKey(GetPublicKeyRequest request) {
        record("GetPublicKey", request.keyId(), KeyUsageType.SIGN_VERIFY);
        FakeKey key = usable(request.keyId(), KeyUsageType.SIGN_VERIFY);
        return GetPublicKeyResponse.builder()
                .keyId(arn(key.id()))
                .publicKey(SdkBytes.fromByteArray(key.pair().getPublic().getEncoded()))
                .keyUsage(KeyUsageType.SIGN_VERIFY)
                .signingAlgorithms(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256, SigningAlgorithmSpec.RSASSA_PSS_SHA_256)
                .build();
    }

    @Override
    public SignResponse sign(SignRequest request) {
        record("Sign", request.keyId(), KeyUsageType.SIGN_VERIFY);
        FakeKey key = usable(request.keyId(), KeyUsageType.SIGN_VERIFY);
        if (request.signingAlgorithm() != SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256) {
            throw validation("FakeKms signs with RSASSA_PKCS1_V1_5_SHA_256 only");
        }
        byte[] message = request.message().asByteArray();
        if (request.messageType() == MessageType.DIGEST) {
            throw validation("FakeKms signs RAW messages only");
        }
        if (message.length > MAX_RAW_MESSAGE) {
            throw validation("Message is longer than 4096 bytes; send a DIGEST instead");
        }
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key.pair().getPrivate());
            signature.update(message);
            return SignResponse.builder().keyId(arn(key.id())).signingAlgorithm(request.signingAlgorithm())
                    .signature(SdkBytes.fromByteArray(signature.sign())).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public GenerateDataKeyResponse generateDataKey(GenerateDataKeyRequest request) {
        record("GenerateDataKey", request.keyId(), KeyUsageType.ENCRYPT_DECRYPT);
        FakeKey key = usable(request.keyId(), KeyUsageType.ENCRYPT_DECRYPT);
        int length = request.keySpec() == DataKeySpec.AES_128 ? 16
                : request.numberOfBytes() != null ? request.numberOfBytes() : 32;
        byte[] plaintext = new byte[length];
        random.nextBytes(plaintext);
        return GenerateDataKeyResponse.builder().keyId(arn(key.id()))
                .plaintext(SdkBytes.fromByteArray(plaintext))
                .ciphertextBlob(SdkBytes.fromByteArray(seal(key, plaintext, request.encryptionContext())))
                .build();
    }

    @Override
    public EncryptResponse encrypt(EncryptRequest request) {
        record("Encrypt", request.keyId(), KeyUsageType.ENCRYPT_DECRYPT);
        FakeKey key = usable(request.keyId(), KeyUsageType.ENCRYPT_DECRYPT);
        return EncryptResponse.builder().keyId(arn(key.id()))
                .ciphertextBlob(SdkBytes.fromByteArray(seal(key, request.plaintext().asByteArray(), request.encryptionContext())))
                .build();
    }

    @Override
    public DecryptResponse decrypt(DecryptRequest request) {
        record("Decrypt", request.keyId(), KeyUsageType.ENCRYPT_DECRYPT);
        ByteBuffer blob = ByteBuffer.wrap(request.ciphertextBlob().asByteArray());
        try {
            if (blob.get() != BLOB_VERSION) {
                throw invalidCiphertext();
            }
            byte[] id = new byte[blob.getShort()];
            blob.get(id);
            FakeKey key = usable(new String(id, StandardCharsets.UTF_8), KeyUsageType.ENCRYPT_DECRYPT);
            byte[] iv = new byte[12];
            blob.get(iv);
            byte[] sealed = new byte[blob.remaining()];
            blob.get(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.secret(), new GCMParameterSpec(128, iv));
            cipher.updateAAD(context(request.encryptionContext()));
            return DecryptResponse.builder().keyId(arn(key.id()))
                    .plaintext(SdkBytes.fromByteArray(cipher.doFinal(sealed))).build();
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException | GeneralSecurityException e) {
            throw invalidCiphertext();
        }
    }

    /**
     * Tells {@link AwsCallLog} of a call, as the SDK's interceptor would of a real client's. The key's usage goes with
     * it: the IAM check resolves a key by the one of that usage the function's environment names, as test keys'
     * ids are random.
     */
    private static void record(String operation, String keyId, KeyUsageType usage) {
        AwsCallLog.record("Kms", operation, Map.of("KeyId", keyId == null ? List.of() : List.of(keyId),
                "KeyUsage", List.of(usage.toString())), false);
    }

    @Override
    public String serviceName() {
        return "kms";
    }

    @Override
    public void close() {
        // nothing to release
    }

    private byte[] seal(FakeKey key, byte[] plaintext, Map<String, String> encryptionContext) {
        try {
            byte[] iv = new byte[12];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.secret(), new GCMParameterSpec(128, iv));
            cipher.updateAAD(context(encryptionContext));
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] id = key.id().getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(BLOB_VERSION);
            out.write(id.length >> 8);
            out.write(id.length);
            out.writeBytes(id);
            out.writeBytes(iv);
            out.writeBytes(sealed);
            return out.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The encryption context, canonically ordered, as associated data: a different context fails to decrypt. */
    private static byte[] context(Map<String, String> encryptionContext) {
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(encryptionContext == null ? Map.<String, String>of() : encryptionContext)
                .forEach((k, v) -> canonical.append(k.length()).append(':').append(k).append(v.length()).append(':').append(v));
        return canonical.toString().getBytes(StandardCharsets.UTF_8);
    }

    private FakeKey usable(String keyId, KeyUsageType usage) {
        FakeKey key = key(keyId);
        if (!key.enabled) {
            throw DisabledException.builder().message(arn(key.id()) + " is disabled.").build();
        }
        if (key.usage() != usage) {
            throw InvalidKeyUsageException.builder().message("Key " + arn(key.id()) + " has usage " + key.usage()).build();
        }
        return key;
    }

    private FakeKey key(String keyId) {
        String id = keyId == null ? "" : keyId.substring(keyId.lastIndexOf('/') + 1);
        FakeKey key = keys.get(id);
        if (key == null) {
            throw NotFoundException.builder().message("Key '" + keyId + "' does not exist").build();
        }
        return key;
    }

    private static InvalidCiphertextException invalidCiphertext() {
        return InvalidCiphertextException.builder().message("The ciphertext is invalid or its context does not match").build();
    }

    /** KMS reports malformed requests as a plain {@code ValidationException} error code (no modelled class). */
    private static KmsException validation(String message) {
        return (KmsException) KmsException.builder().message(message).statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").errorMessage(message).serviceName("Kms").build())
                .build();
    }

    private static String arn(String id) {
        return "arn:aws:kms:us-east-1:000000000000:key/" + id;
    }


    private static final class FakeKey {
        private final String id;
        private final KeyUsageType usage;
        private final KeyPair pair;
        private final SecretKey secret;
        private volatile boolean enabled = true;

        FakeKey(String id, KeyUsageType usage, KeyPair pair, SecretKey secret) {
            this.id = id;
            this.usage = usage;
            this.pair = pair;
            this.secret = secret;
        }

        String id() {
            return id;
        }

        KeyUsageType usage() {
            return usage;
        }

        KeyPair pair() {
            return pair;
        }

        SecretKey secret() {
            return secret;
        }
    }
}
