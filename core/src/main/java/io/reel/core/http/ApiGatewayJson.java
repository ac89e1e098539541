package io.reel.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.RequestIdentity;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.reel.core.JsonValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * API Gateway's Lambda events read and written with Jackson's streaming parser, for the functions' {@code
 * RequestStreamHandler} entry points. Lambda's Java runtime would otherwise read them through its own serializer: a
 * second, shaded Jackson with mix-ins for every event class, ~1,100 classes and ~0.35 s of a cold start here
 * (docs/performance.md, "Cold starts"), and it needs joda-time on the class path even for events without a date
 * (aws/aws-lambda-java-libs#72). The shapes are API Gateway's REST proxy integration and TOKEN authorizer, as in
 * {@code events/}; a field this does not know is skipped, as the runtime's serializer skips it.
 */
public final class ApiGatewayJson {
    private static final JsonFactory FACTORY = JsonValues.factory();

    private ApiGatewayJson() {
    }

    /** Reads a REST API proxy event ({@code events/media-get-video.json}'s shape). */
    public static APIGatewayProxyRequestEvent readProxyRequest(InputStream input) throws IOException {
        try (JsonParser parser = FACTORY.createParser(input)) {
            expectObject(parser);
            var event = new APIGatewayProxyRequestEvent();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "resource" -> event.setResource(text(parser));
                    case "path" -> event.setPath(text(parser));
                    case "httpMethod" -> event.setHttpMethod(text(parser));
                    case "headers" -> event.setHeaders(stringMap(parser));
                    case "multiValueHeaders" -> event.setMultiValueHeaders(listMap(parser));
                    case "queryStringParameters" -> event.setQueryStringParameters(stringMap(parser));
                    case "multiValueQueryStringParameters" -> event.setMultiValueQueryStringParameters(listMap(parser));
                    case "pathParameters" -> event.setPathParameters(stringMap(parser));
                    case "stageVariables" -> event.setStageVariables(stringMap(parser));
                    case "requestContext" -> event.setRequestContext(requestContext(parser));
                    case "body" -> event.setBody(text(parser));
                    case "isBase64Encoded" -> event.setIsBase64Encoded(parser.currentToken() == JsonToken.VALUE_NULL
                            ? null : parser.getValueAsBoolean());
                    default -> parser.skipChildren();
                }
            }
            return event;
        }
    }

    /** Reads a TOKEN authorizer event: {@code type}, {@code authorizationToken}, {@code methodArn}. */
    public static APIGatewayCustomAuthorizerEvent readAuthorizerEvent(InputStream input) throws IOException {
        try (JsonParser parser = FACTORY.createParser(input)) {
            expectObject(parser);
            var event = new APIGatewayCustomAuthorizerEvent();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "type" -> event.setType(text(parser));
                    case "authorizationToken" -> event.setAuthorizationToken(text(parser));
                    case "methodArn" -> event.setMethodArn(text(parser));
                    default -> parser.skipChildren();
                }
            }
            return event;
        }
    }

    /** Writes a proxy response as the runtime's serializer does, leaving out what is null. */
    public static void writeProxyResponse(APIGatewayProxyResponseEvent response, OutputStream output) throws IOException {
        try (JsonGenerator json = FACTORY.createGenerator(output)) {
            json.writeStartObject();
            if (response.getStatusCode() != null) {
                json.writeNumberField("statusCode", response.getStatusCode());
            }
            if (response.getHeaders() != null) {
                json.writeFieldName("headers");
                writeValue(json, response.getHeaders());
            }
            if (response.getMultiValueHeaders() != null) {
                json.writeFieldName("multiValueHeaders");
                writeValue(json, response.getMultiValueHeaders());
            }
            if (response.getBody() != null) {
                json.writeStringField("body", response.getBody());
            }
            if (response.getIsBase64Encoded() != null) {
                json.writeBooleanField("isBase64Encoded", response.getIsBase64Encoded());
            }
            json.writeEndObject();
        }
    }

    /** Writes maps, lists, text, numbers, booleans and nulls (an authorizer's policy document). */
    public static void writeValue(Object value, OutputStream output) throws IOException {
        try (JsonGenerator json = FACTORY.createGenerator(output)) {
            writeValue(json, value);
        }
    }

    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        JsonValues.write(json, value);
    }

    private static ProxyRequestContext requestContext(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expectStart(parser);
        var context = new ProxyRequestContext();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "accountId" -> context.setAccountId(text(parser));
                case "stage" -> context.setStage(text(parser));
                case "resourceId" -> context.setResourceId(text(parser));
                case "requestId" -> context.setRequestId(text(parser));
                case "operationName" -> context.setOperationName(text(parser));
                case "identity" -> context.setIdentity(identity(parser));
                case "resourcePath" -> context.setResourcePath(text(parser));
                case "httpMethod" -> context.setHttpMethod(text(parser));
                case "apiId" -> context.setApiId(text(parser));
                case "path" -> context.setPath(text(parser));
                case "authorizer" -> context.setAuthorizer(objectMap(parser));
                case "extendedRequestId" -> context.setExtendedRequestId(text(parser));
                case "requestTime" -> context.setRequestTime(text(parser));
                case "requestTimeEpoch" -> context.setRequestTimeEpoch(parser.currentToken() == JsonToken.VALUE_NULL
                        ? null : parser.getValueAsLong());
                case "domainName" -> context.setDomainName(text(parser));
                case "domainPrefix" -> context.setDomainPrefix(text(parser));
                case "protocol" -> context.setProtocol(text(parser));
                default -> parser.skipChildren();
            }
        }
        return context;
    }

    private static RequestIdentity identity(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expectStart(parser);
        var identity = new RequestIdentity();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "cognitoIdentityPoolId" -> identity.setCognitoIdentityPoolId(text(parser));
                case "accountId" -> identity.setAccountId(text(parser));
                case "cognitoIdentityId" -> identity.setCognitoIdentityId(text(parser));
                case "caller" -> identity.setCaller(text(parser));
                case "apiKey" -> identity.setApiKey(text(parser));
                case "principalOrgId" -> identity.setPrincipalOrgId(text(parser));
                case "sourceIp" -> identity.setSourceIp(text(parser));
                case "cognitoAuthenticationType" -> identity.setCognitoAuthenticationType(text(parser));
                case "cognitoAuthenticationProvider" -> identity.setCognitoAuthenticationProvider(text(parser));
                case "userArn" -> identity.setUserArn(text(parser));
                case "userAgent" -> identity.setUserAgent(text(parser));
                case "user" -> identity.setUser(text(parser));
                case "accessKey" -> identity.setAccessKey(text(parser));
                default -> parser.skipChildren();
            }
        }
        return identity;
    }

    /** Text, or a number or boolean as its text (the runtime's serializer coerces them so too); null for null. */
    private static String text(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token.isScalarValue()) {
            return parser.getText();
        }
        throw new JsonParseException(parser, "expected text for '" + parser.currentName() + "', found " + token);
    }

    private static Map<String, String> stringMap(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expectStart(parser);
        Map<String, String> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            map.put(name, text(parser));
        }
        return map;
    }

    private static Map<String, List<String>> listMap(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expectStart(parser);
        Map<String, List<String>> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            if (parser.nextToken() == JsonToken.VALUE_NULL) {
                map.put(name, null);
                continue;
            }
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw new JsonParseException(parser, "expected a list for '" + name + "'");
            }
            List<String> values = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                values.add(text(parser));
            }
            map.put(name, values);
        }
        return map;
    }

    /** An object of any values (the authorizer's context: text, numbers, booleans). */
    private static Map<String, Object> objectMap(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expectStart(parser);
        Map<String, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            map.put(name, anyValue(parser));
        }
        return map;
    }

    private static Object anyValue(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case START_OBJECT -> objectMap(parser);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(anyValue(parser));
                }
                yield list;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> null;
        };
    }

    private static void expectObject(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new JsonParseException(parser, "an API Gateway event is a JSON object");
        }
    }

    private static void expectStart(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new JsonParseException(parser, "expected an object for '" + parser.currentName() + "'");
        }
    }
}
