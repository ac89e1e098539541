package io.reel.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.reel.core.domain.Scope;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallerTest {
    @Test
    void readsTheAuthorizersContext_andIgnoresUnknownScopes() {
        Caller caller = Caller.of(request(Map.of("userId", "u-1", "username", "ana", "scopes", " videos:read  admin root "))).orElseThrow();

        assertThat(caller.userId()).isEqualTo("u-1");
        assertThat(caller.username()).isEqualTo("ana");
        assertThat(caller.scopes()).containsExactlyInAnyOrder(Scope.VIDEOS_READ, Scope.ADMIN);
        assertThat(caller.isAdmin()).isTrue();
        assertThat(caller.has(Scope.VIDEOS_UPLOAD)).isFalse();
    }

    @Test
    void missingOrIncompleteContext_isNoCaller() {
        assertThat(Caller.of(new APIGatewayProxyRequestEvent())).isEmpty();
        assertThat(Caller.of(request(Map.of("username", "ana")))).isEmpty();
        assertThat(Caller.of(request(Map.of("userId", " ", "username", "ana")))).isEmpty();
        Map<String, Object> numeric = new HashMap<>(Map.of("userId", 42, "username", "ana"));
        assertThat(Caller.of(request(numeric))).as("not a string").isEmpty();
        assertThat(Caller.of(request(Map.of("userId", "u-1", "username", "ana"))).orElseThrow().scopes()).isEmpty();
    }

    private static APIGatewayProxyRequestEvent request(Map<String, Object> authorizer) {
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setAuthorizer(authorizer);
        return new APIGatewayProxyRequestEvent().withRequestContext(context);
    }
}
