package io.reel.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.reel.localaws.template.CloudFormationTemplate;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The template's CloudFront Functions, run in Node (their code is plain ECMAScript that cloudfront-js-2.0 also runs)
 * on the paths viewers send: the page's routes become index.html, files and the API pass; /api is stripped.
 */
class CloudFrontFunctionsIT {
    private static String code(String logicalId) {
        var resource = CloudFormationTemplate.load(Repo.TEMPLATE).resourcesOfType("AWS::CloudFront::Function").stream()
                .filter(r -> r.logicalId().equals(logicalId)).findFirst().orElseThrow();
        return String.valueOf(resource.properties().get("FunctionCode"));
    }

    private static String run(String logicalId, String uri) {
        Repo.requireTool(Repo.commandWorks("node", "--version"), "node");
        String script = code(logicalId) + "\nprocess.stdout.write(handler({request: {uri: process.argv[1], headers: {},"
                + " querystring: {}, cookies: {}}}).uri);\n";
        Repo.Run run = Repo.run(Repo.ROOT, Map.of(), 60, "node", "-e", script, uri);
        assertThat(run.exit()).as(run.err()).isZero();
        return run.out();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/, /index.html",
        "/watch/k7t3v4x2m5n6p2r7sqawbecdfg, /index.html",
        "/upload, /index.html",
        "/index.html, /index.html",
        "/assets/index-3f2a1b.js, /assets/index-3f2a1b.js",
        "/assets/fonts/x, /assets/fonts/x",
        "/favicon.svg, /favicon.svg",
        "/manifest.webmanifest, /manifest.webmanifest",
    })
    void siteRouter_answersThePagesRoutesWithIndexHtml_andLetsFilesPass(String uri, String expected) {
        assertThat(run("SiteRouterFunction", uri)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/api/auth/login, /auth/login",
        "/api/videos/abc/hls/master.m3u8, /videos/abc/hls/master.m3u8",
        "/api/.well-known/jwks.json, /.well-known/jwks.json",
        "/api, /",
        "/api/, /",
        "/apiary, /apiary",
    })
    void apiPath_stripsTheApiPrefixOnly(String uri, String expected) {
        assertThat(run("ApiPathFunction", uri)).isEqualTo(expected);
    }
}
