package io.reel.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.reel.localaws.calls.AwsCallLog.Call;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FuzzSupportTest {
    private static final ApiWrites.Tables TABLES = new ApiWrites.Tables("Users-x", "Sessions-x");

    private record Input(String text, byte[] bytes, Map<String, String> headers) {
    }

    @Test
    void digest_equalInputsAreOne_unpairedSurrogatesAndBytesCount_mapOrderDoesNot() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new TreeMap<>(java.util.Comparator.reverseOrder());
        ba.putAll(ab);

        assertThat(InputDigest.of(List.of(new Input("x", new byte[] {1}, ab))))
                .isEqualTo(InputDigest.of(List.of(new Input("x", new byte[] {1}, ba))));
        assertThat(InputDigest.of(List.of("\ud800"))).isNotEqualTo(InputDigest.of(List.of("\udc00")))
                .isNotEqualTo(InputDigest.of(List.of("?")));
        assertThat(InputDigest.of(List.of(new Input("x", new byte[] {1}, ab))))
                .isNotEqualTo(InputDigest.of(List.of(new Input("x", new byte[] {2}, ab))));
        assertThat(InputDigest.of(Arrays.asList("a", null))).isNotEqualTo(InputDigest.of(List.of("a")));
    }

    @Test
    void problem_needsTheTypeAnObjectAndASentence() {
        Map<String, String> problemJson = Map.of("content-type", "application/problem+json");
        assertThat(Problems.problemWith(404, problemJson, "{\"status\":404,\"detail\":\"No such video.\"}")).isEmpty();
        assertThat(Problems.problemWith(404, Map.of("Content-Type", "application/json"), "{\"detail\":\"No such video.\"}")).isPresent();
        assertThat(Problems.problemWith(404, problemJson, "{\"detail\":\"\"}")).get().asString().contains("empty");
        assertThat(Problems.problemWith(404, problemJson, "{\"detail\":\"NotFound\"}")).isPresent();
        assertThat(Problems.problemWith(400, problemJson, "{\"status\":500,\"detail\":\"Bad thing here.\"}")).isPresent();
        assertThat(Problems.problemWith(400, problemJson, "not json")).isPresent();
        assertThat(Problems.sentenceProblem("java.lang.NullPointerException: x")).isPresent();
    }

    @Test
    void writes_readsAndRefusedOrPresignedCallsAreNone_designedLoginAndRefreshWritesAreNarrow() {
        Call get = call("DynamoDb", "GetItem", "Users-x", true);
        Call put = call("DynamoDb", "PutItem", "Videos-x", true);
        Call refusedPut = call("DynamoDb", "PutItem", "Videos-x", false);
        Call presigned = new Call("h", "S3", "PutObject", Map.of("Bucket", List.of("b")), true, true);
        assertThat(ApiWrites.isWrite(get)).isFalse();
        assertThat(ApiWrites.isWrite(refusedPut)).isFalse();
        assertThat(ApiWrites.isWrite(presigned)).isFalse();
        assertThat(ApiWrites.unexpected("PATCH", "/videos/{id}", 400, List.of(get, put), TABLES)).containsExactly(put);
        assertThat(ApiWrites.unexpected("PATCH", "/videos/{id}", 200, List.of(put), TABLES)).isEmpty();

        List<Call> failedLogin = List.of(call("DynamoDb", "PutItem", "Sessions-x", true), call("DynamoDb", "UpdateItem", "Users-x", true),
                call("DynamoDb", "DeleteItem", "Sessions-x", true));
        assertThat(ApiWrites.unexpected("POST", "/auth/login", 401, failedLogin, TABLES)).isEmpty();
        assertThat(ApiWrites.unexpected("POST", "/auth/login", 429, failedLogin, TABLES)).isEmpty();
        assertThat(ApiWrites.unexpected("POST", "/auth/login", 400, failedLogin, TABLES)).hasSize(3);
        assertThat(ApiWrites.unexpected("POST", "/auth/login", 401, failedLogin.subList(0, 2), TABLES))
                .as("a pending session left behind").hasSize(2);
        assertThat(ApiWrites.unexpected("POST", "/auth/refresh", 401, List.of(call("DynamoDb", "UpdateItem", "Sessions-x", true),
                call("DynamoDb", "UpdateItem", "Users-x", true)), TABLES)).extracting(Call::resources)
                .containsExactly(Map.of("TableName", List.of("Users-x")));
    }

    private static Call call(String service, String operation, String table, boolean succeeded) {
        return new Call("io.reel.x.Handler", service, operation, Map.of("TableName", List.of(table)), false, succeeded);
    }
}
