package io.reel.devserver.app;

import io.reel.devserver.states.StateMachine;
import java.util.List;

/**
 * One {@code AWS::Serverless::StateMachine}: its ARN as functions see it ({@code !Ref}, {@code !GetAtt .Arn}), and
 * its definition with {@code DefinitionSubstitutions} applied, already parsed, so a definition the local interpreter
 * refuses stops the devserver at start rather than at the first execution.
 *
 * @param ignored the properties that only mean something in AWS (Policies, Logging, ...), for the start-up log
 */
public record StateMachineDef(String logicalId, String name, String arn, StateMachine machine, List<String> ignored) {
    public StateMachineDef {
        ignored = List.copyOf(ignored);
    }
}
