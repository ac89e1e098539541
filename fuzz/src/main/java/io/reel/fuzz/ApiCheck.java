package io.reel.fuzz;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.reel.localaws.calls.AwsCallLog.Call;
import java.util.List;
import java.util.Optional;

/**
 * The invariants of an API answer to any client input: no 5xx; a 4xx is a problem+json with a sentence for a
 * detail; and nothing written on a 4xx but the designed exceptions ({@link ApiWrites}). A violation fails with the
 * request, the answer and the calls.
 */
public final class ApiCheck {
    private ApiCheck() {
    }

    public static void check(ApiRequest generated, APIGatewayProxyRequestEvent sent, APIGatewayProxyResponseEvent response,
                             List<Call> calls, ApiWrites.Tables tables) {
        if (response == null || response.getStatusCode() == null) {
            throw failure("no answer, or one without a status", sent, response, calls);
        }
        int status = response.getStatusCode();
        FuzzStats.outcome(label(generated) + " " + status);
        if (status >= 500 || status < 100) {
            throw failure("a " + status + " for client input", sent, response, calls);
        }
        if (status >= 400) {
            Optional<String> problem = Problems.problemWith(status, response.getHeaders(), response.getBody());
            if (problem.isPresent()) {
                throw failure(problem.get(), sent, response, calls);
            }
        }
        List<Call> unexpected = ApiWrites.unexpected(sent.getHttpMethod(), sent.getResource(), status, calls, tables);
        if (!unexpected.isEmpty()) {
            throw failure("a write on a " + status + ":" + ApiWrites.describe(unexpected), sent, response, calls);
        }
    }

    /** The route for the report: a generated method or resource that is no route shows as "other". */
    private static String label(ApiRequest request) {
        String route = request.route();
        boolean plain = route.length() <= 60 && route.chars().allMatch(c -> c > 0x20 && c < 0x7f || c == ' ')
                && request.resource().startsWith("/");
        return plain ? route : "(other method or resource)";
    }

    private static AssertionError failure(String what, APIGatewayProxyRequestEvent sent, APIGatewayProxyResponseEvent response,
                                          List<Call> calls) {
        return new AssertionError(what + "\n--- request: " + sent.getHttpMethod() + " " + sent.getResource() + " path="
                + sent.getPathParameters() + " query=" + sent.getQueryStringParameters() + " headers=" + sent.getHeaders()
                + " base64=" + sent.getIsBase64Encoded() + " authorizer="
                + (sent.getRequestContext() == null ? null : sent.getRequestContext().getAuthorizer())
                + "\n    body: " + Problems.abbreviate(sent.getBody())
                + "\n--- answer: " + (response == null ? null : response.getStatusCode() + " " + response.getHeaders() + "\n    "
                + Problems.abbreviate(response.getBody()))
                + "\n--- AWS calls:" + ApiWrites.describe(calls));
    }
}
