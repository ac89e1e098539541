package io.reel.localaws.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudFormationTemplateTest {

    @Test
    void shortFormIntrinsics_becomeTheirLongForm() {
        var template = CloudFormationTemplate.parse("t.yaml", """
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      A: !Ref UsersTable
                      B: !GetAtt MediaBucket.Arn
                      C: !Sub '${AWS::StackName}-x'
                      D: !Sub ['${A}-${B}', {A: !Ref X, B: y}]
                      E: !Join ['', [a, !Ref Y]]
                      F: !If [Cond, !Ref AWS::NoValue, 3]
                      G: !Select [0, !GetAZs '']
                      H: !FindInMap [M, K, V]
                      I: !Not [!Equals [!Ref P, '']]
                """);

        Map<String, Object> props = template.resources().get(0).properties();
        assertThat(props.get("A")).isEqualTo(Map.of("Ref", "UsersTable"));
        assertThat(props.get("B")).isEqualTo(Map.of("Fn::GetAtt", List.of("MediaBucket", "Arn")));
        assertThat(props.get("C")).isEqualTo(Map.of("Fn::Sub", "${AWS::StackName}-x"));
        assertThat(props.get("D")).isEqualTo(Map.of("Fn::Sub", List.of("${A}-${B}", Map.of("A", Map.of("Ref", "X"), "B", "y"))));
        assertThat(props.get("E")).isEqualTo(Map.of("Fn::Join", List.of("", List.of("a", Map.of("Ref", "Y")))));
        assertThat(props.get("F")).isEqualTo(Map.of("Fn::If", List.of("Cond", Map.of("Ref", "AWS::NoValue"), 3)));
        assertThat(props.get("G")).isEqualTo(Map.of("Fn::Select", List.of(0, Map.of("Fn::GetAZs", ""))));
        assertThat(props.get("H")).isEqualTo(Map.of("Fn::FindInMap", List.of("M", "K", "V")));
        assertThat(props.get("I")).isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "P"), "")))));
    }

    @Test
    void longFormIntrinsics_areKeptAsWritten() {
        var template = CloudFormationTemplate.parse("t.yaml", """
                Resources:
                  B:
                    Type: AWS::S3::Bucket
                    Properties:
                      BucketName: {"Fn::Sub": "${AWS::StackName}-media"}
                """);

        assertThat(template.resources().get(0).properties().get("BucketName")).isEqualTo(Map.of("Fn::Sub", "${AWS::StackName}-media"));
    }

    @Test
    void invalidYaml_namesTheFileAndLine() {
        assertThatThrownBy(() -> CloudFormationTemplate.parse("broken.yaml", "Resources:\n  A: [unclosed\n"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("broken.yaml")
                .hasMessageContaining("line");
    }

    @Test
    void duplicateKeys_areRefused() {
        assertThatThrownBy(() -> CloudFormationTemplate.parse("dup.yaml", "Resources:\n  A: {Type: X}\n  A: {Type: Y}\n"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("dup.yaml");
    }

    @Test
    void missingResources_isRefused() {
        assertThatThrownBy(() -> CloudFormationTemplate.parse("t.yaml", "Parameters: {}\n"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("Resources");
        assertThatThrownBy(() -> CloudFormationTemplate.parse("t.yaml", "- just a list\n"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("t.yaml");
    }

    @Test
    void resourceWithoutType_isNamed() {
        var template = CloudFormationTemplate.parse("t.yaml", "Resources:\n  Orphan:\n    Properties: {}\n");

        assertThatThrownBy(template::resources).isInstanceOf(TemplateException.class).hasMessageContaining("Orphan");
    }

    @Test
    void badGetAttShortForm_isRefused() {
        assertThatThrownBy(() -> CloudFormationTemplate.parse("t.yaml", "Resources:\n  A:\n    Type: X\n    Properties: {P: !GetAtt NoDot}\n"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("GetAtt");
    }

    @Test
    void missingFile_isNamed() {
        assertThatThrownBy(() -> CloudFormationTemplate.load(Path.of("does-not-exist.yaml")))
                .isInstanceOf(TemplateException.class).hasMessageContaining("does-not-exist.yaml");
    }
}
