package io.reel.devserver.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the devserver runs: the template's functions, API and state machines, resolved against local values. */
public record Application(Map<String, FunctionDef> functions, Optional<ApiDef> api,
                          Map<String, StateMachineDef> stateMachines) {
    public Application {
        functions = Map.copyOf(functions);
        stateMachines = Map.copyOf(stateMachines);
    }

    public List<ApiRoute> routes() {
        return functions.values().stream().flatMap(f -> f.routes().stream()).toList();
    }

    public List<S3Trigger> s3Triggers() {
        return functions.values().stream().flatMap(f -> f.s3Triggers().stream()).toList();
    }
}
