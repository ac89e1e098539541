package io.reel.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./run.sh} starts the devserver on its runtime classpath, where a dependency declared here with test scope is
 * missing even though a function module needs it at compile scope: Maven's nearest declaration wins, so the tests
 * (test classpath) pass and the function fails to start for a user (issue #16: the transcode function's Step
 * Functions client). No dependency of a function module may be test-scoped here.
 */
class RuntimeDependenciesTest {
    private static final List<String> FUNCTION_MODULES = List.of("core", "auth-function", "authorizer-function",
            "media-function", "transcode-function");
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");
    private static final Pattern SCOPE = Pattern.compile("<scope>([^<]+)</scope>");

    /** The artifact ids a pom declares in {@code <dependencies>} with one of these scopes (none given: compile). */
    static Set<String> declared(Path pom, Set<String> scopes) throws IOException {
        String xml = Files.readString(pom);
        int start = xml.indexOf("<dependencies>", xml.indexOf("</dependencyManagement>") + 1);
        Set<String> found = new TreeSet<>();
        if (start < 0) {
            return found;
        }
        Matcher dependency = DEPENDENCY.matcher(xml.substring(start, xml.indexOf("</dependencies>", start)));
        while (dependency.find()) {
            Matcher artifact = ARTIFACT.matcher(dependency.group(1));
            Matcher scope = SCOPE.matcher(dependency.group(1));
            if (artifact.find() && scopes.contains(scope.find() ? scope.group(1) : "compile")) {
                found.add(artifact.group(1));
            }
        }
        return found;
    }

    @Test
    void noDependencyOfAFunction_isTestScopedInTheDevserver() throws IOException {
        Set<String> testScoped = declared(Path.of("pom.xml"), Set.of("test"));
        List<String> clashes = new ArrayList<>();
        for (String module : FUNCTION_MODULES) {
            for (String artifact : declared(Path.of("..", module, "pom.xml"), Set.of("compile", "runtime"))) {
                if (testScoped.contains(artifact)) {
                    clashes.add(artifact + " (" + module + " needs it at runtime)");
                }
            }
        }
        assertThat(clashes).as("test-scoped in devserver/pom.xml, so missing from ./run.sh's classpath").isEmpty();
    }

    @Test
    void theCheck_seesTestScopeAndCompileScope() throws IOException {
        Path pom = Files.createTempFile("pom", ".xml");
        try {
            Files.writeString(pom, "<project><dependencies><dependency><artifactId>sfn</artifactId><scope>test</scope></dependency>"
                    + "<dependency><artifactId>s3</artifactId></dependency></dependencies></project>");
            assertThat(declared(pom, Set.of("test"))).containsExactly("sfn");
            assertThat(declared(pom, Set.of("compile"))).containsExactly("s3");
        } finally {
            Files.delete(pom);
        }
    }
}
