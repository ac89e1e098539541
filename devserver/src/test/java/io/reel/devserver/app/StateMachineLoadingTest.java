package io.reel.devserver.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.localaws.template.CloudFormationTemplate;
import io.reel.localaws.template.TemplateException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code AWS::Serverless::StateMachine} as the loader reads it: where the definition comes from, and what it refuses. */
class StateMachineLoadingTest {
    private static final String FUNCTIONS = """
            Resources:
              EncodeFunction:
                Type: AWS::Serverless::Function
                Properties: {Handler: a.Encode::handle}
              StitchFunction:
                Type: AWS::Serverless::Function
                Properties: {Handler: a.Stitch::handle}
            """;

    @TempDir
    Path dir;

    @Test
    void aYamlDefinitionFile_getsItsSubstitutions_beforeItIsParsed() throws Exception {
        Files.writeString(dir.resolve("pipeline.asl.yaml"), """
                StartAt: Encode
                States:
                  Encode: {Type: Task, Resource: '${EncodeArn}', Next: Stitch}
                  Stitch:
                    Type: Task
                    Resource: arn:aws:states:::lambda:invoke
                    Parameters: {FunctionName: '${StitchName}', Payload.$: $}
                    Next: Tag
                  Tag: {Type: Pass, Result: '${Tag}', End: true}
                """);
        Application app = load("""
                  Pipeline:
                    Type: AWS::Serverless::StateMachine
                    Properties:
                      DefinitionUri: pipeline.asl.yaml
                      DefinitionSubstitutions:
                        EncodeArn: !GetAtt EncodeFunction.Arn
                        StitchName: !Ref StitchFunction
                        Tag: !Sub '${AWS::Region}-v1'
                      Policies: [{LambdaInvokePolicy: {FunctionName: !Ref EncodeFunction}}]
                      Logging: {Level: ALL}
                """);

        StateMachineDef pipeline = app.stateMachines().get("Pipeline");
        assertThat(pipeline.arn()).isEqualTo("arn:aws:states:us-east-1:000000000000:stateMachine:Pipeline");
        assertThat(pipeline.name()).isEqualTo("Pipeline");
        assertThat(pipeline.machine().startAt()).isEqualTo("Encode");
        assertThat(pipeline.machine().definition())
                .contains("\"arn:aws:lambda:us-east-1:000000000000:function:EncodeFunction\"")
                .contains("\"StitchFunction-local\"") // what the test's resolver gives !Ref of a function
                .contains("\"us-east-1-v1\"")
                .doesNotContain("..");
        assertThat(pipeline.ignored()).containsExactly("Policies", "Logging");
    }

    @Test
    void aJsonDefinitionFile_isReadAsItIs() throws Exception {
        Files.writeString(dir.resolve("machine.json"), """
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"n": ${Count}}, "End": true}}}""");
        Application app = load("""
                  M:
                    Type: AWS::Serverless::StateMachine
                    Properties:
                      DefinitionUri: machine.json
                      DefinitionSubstitutions: {Count: 3}
                      Type: STANDARD
                """);

        assertThat(app.stateMachines().get("M").machine().definition()).contains("{\"n\": 3}");
    }

    @Test
    void anInlineDefinition_isWrittenAsJson() {
        Application app = load("""
                  M:
                    Type: AWS::Serverless::StateMachine
                    Properties:
                      Definition:
                        StartAt: Stitch
                        States:
                          Stitch: {Type: Task, Resource: !GetAtt StitchFunction.Arn, End: true}
                """);

        assertThat(app.stateMachines().get("M").machine().definition())
                .contains("arn:aws:lambda:us-east-1:000000000000:function:StitchFunction");
    }

    @Test
    void anExpressWorkflow_isRefusedWithASentence() {
        assertThatThrownBy(() -> load("""
                  M:
                    Type: AWS::Serverless::StateMachine
                    Properties:
                      Type: EXPRESS
                      Definition: {StartAt: P, States: {P: {Type: Pass, End: true}}}
                """)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("Resource M (AWS::Serverless::StateMachine), property Type is EXPRESS")
                .hasMessageContaining("STANDARD workflows only");
    }

    @Test
    void aDefinitionTheInterpreterRefuses_namesTheResource_andGivesTheInterpretersSentence() {
        assertThatThrownBy(() -> load("""
                  M:
                    Type: AWS::Serverless::StateMachine
                    Properties:
                      Definition:
                        StartAt: W
                        States:
                          W: {Type: Wait, Timestamp: '2030-01-01T00:00:00Z', End: true}
                """)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("Resource M (AWS::Serverless::StateMachine), property Definition is not a "
                        + "definition the devserver can run")
                .hasMessageContaining("State 'W': field 'Timestamp'").hasMessageNotContaining("..");
    }

    @Test
    void aPlaceholderWithoutASubstitution_isNamed() {
        assertThatThrownBy(() -> load("""
                  M:
                    Type: AWS::Serverless::StateMachine
                    Properties:
                      Definition: {StartAt: T, States: {T: {Type: Task, Resource: '${Missing}', End: true}}}
                      DefinitionSubstitutions: {Other: x}
                """)).isInstanceOf(TemplateException.class).hasMessageContaining("${Missing}");
    }

    @Test
    void anS3DefinitionUri_aMissingFile_bothOrNoDefinition_andUnknownProperties_areNamed() {
        assertThatThrownBy(() -> load("""
                  M:
                    Type: AWS::Serverless::StateMachine
                    Properties:
                      DefinitionUri: {Bucket: b, Key: k.json}
                """)).hasMessageContaining("property DefinitionUri").hasMessageContaining("local file");
        assertThatThrownBy(() -> load("""
                  M:
                    Type: AWS::Serverless::StateMachine
                    Properties: {DefinitionUri: nowhere.json}
                """)).hasMessageContaining("nowhere.json").hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> load("""
                  M:
                    Type: AWS::Serverless::StateMachine
                    Properties: {Name: m}
                """)).hasMessageContaining("property Definition is missing");
        assertThatThrownBy(() -> load("""
                  M:
                    Type: AWS::Serverless::StateMachine
                    Properties:
                      Definition: {StartAt: P, States: {P: {Type: Pass, End: true}}}
                      Defintion: {}
                """)).hasMessageContaining("property Defintion is not a property of AWS::Serverless::StateMachine");
    }

    private Application load(String stateMachines) {
        try {
            Path template = dir.resolve("template.yaml");
            Files.writeString(template, FUNCTIONS + stateMachines);
            return ApplicationLoaderTest.load(CloudFormationTemplate.load(template));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
