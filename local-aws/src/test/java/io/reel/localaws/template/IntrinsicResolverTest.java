package io.reel.localaws.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.localaws.template.IntrinsicResolver.Context;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IntrinsicResolverTest {
    private static final String WHERE = "Resource GetVideo (AWS::Serverless::Function), property Environment.Variables.X";

    private static final String SECTIONS = """
            Parameters:
              Stage:
                Type: String
                Default: dev
              Retention:
                Type: Number
                Default: 7
              Origins:
                Type: CommaDelimitedList
                Default: "https://a.example , https://b.example"
              Subnets:
                Type: List<AWS::EC2::Subnet::Id>
                Default: subnet-1,subnet-2
              Secret:
                Type: String
            Mappings:
              StageConfig:
                dev: {MemorySize: 512, Domains: [dev.example, www.dev.example]}
                prod: {MemorySize: 1024}
              Accounts:
                123456789012: {Alias: main}
            Conditions:
              IsProd: !Equals [!Ref Stage, prod]
              IsDev: !Not [!Condition IsProd]
              IsEuropean: !Equals ['eu', !Select [0, !Split ['-', !Ref 'AWS::Region']]]
              IsDevInEurope: !And [!Condition IsDev, !Condition IsEuropean]
              IsProdOrLongRetention: !Or [!Condition IsProd, !Not [!Equals [!Ref Retention, 7]]]
              LongFormProd: {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}
              NeedsSecret: !Equals [!Ref Secret, x]
            """;

    private static final Context CONTEXT = context(Map.of());

    private static Context context(Map<String, String> overrides) {
        return new Context(
                overrides,
                Map.of("AWS::Region", "eu-west-1", "AWS::AccountId", "123456789012", "AWS::StackName", "reel",
                        "AWS::Partition", "aws", "AWS::URLSuffix", "amazonaws.com"),
                Map.of("VideosTable", "reel-videos", "MediaBucket", "reel-media"),
                Map.of("MediaBucket", Map.of("Arn", "arn:aws:s3:::reel-media", "DomainName", "reel-media.s3.local")));
    }

    private static CloudFormationTemplate template(String valueYaml) {
        return CloudFormationTemplate.parse("template.yaml", SECTIONS + """
                Resources:
                  GetVideo:
                    Type: AWS::Serverless::Function
                    Properties:
                      Value: %s
                """.formatted(valueYaml));
    }

    private static Object resolve(String valueYaml) {
        return resolve(valueYaml, CONTEXT);
    }

    private static Object resolve(String valueYaml, Context context) {
        CloudFormationTemplate template = template(valueYaml);
        Object value = template.resources().get(0).properties().get("Value");
        return new IntrinsicResolver(template, context).resolve(value, WHERE);
    }

    private static IntrinsicResolver resolver(Map<String, String> overrides) {
        return new IntrinsicResolver(template("x"), context(overrides));
    }

    @Test
    void resolve_whenValueIsPlain_returnsItUnchanged() {
        assertThat(resolve("{Name: videos, Size: 3, Tags: [a, true], Nested: {Ref: Stage, Other: x}}"))
                .isEqualTo(Map.of("Name", "videos", "Size", 3, "Tags", List.of("a", true),
                        "Nested", Map.of("Ref", "Stage", "Other", "x")));
    }

    @Test
    void resolve_whenValueIsNull_keepsIt() {
        assertThat(resolve("{Empty: null, List: [null, !Ref Stage]}")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("Empty", null)
                .containsEntry("List", Arrays.asList(null, "dev"));
    }

    @Test
    void resolve_whenMapHasSeveralEntries_keepsTheirOrder() {
        Object resolved = resolve("{C: !Ref Stage, A: 1, B: 2}");

        assertThat(resolved).asInstanceOf(InstanceOfAssertFactories.MAP).containsExactly(
                Map.entry("C", "dev"), Map.entry("A", 1), Map.entry("B", 2));
    }

    @Test
    void ref_whenParameterHasDefault_returnsDefault() {
        assertThat(resolve("!Ref Stage")).isEqualTo("dev");
        assertThat(resolve("{Ref: Retention}")).isEqualTo("7");
    }

    @Test
    void ref_whenParameterIsOverridden_returnsOverride() {
        assertThat(resolve("!Ref Stage", context(Map.of("Stage", "prod")))).isEqualTo("prod");
        assertThat(resolver(Map.of("Secret", "s3cr3t")).parameter("Secret")).isEqualTo("s3cr3t");
    }

    @Test
    void ref_whenParameterHasNeitherDefaultNorOverride_namesParameterAndPlace() {
        assertThatThrownBy(() -> resolve("!Ref Secret"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("Secret")
                .hasMessageContaining(WHERE);
        assertThatThrownBy(() -> resolver(Map.of()).parameter("Secret"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("parameter Secret has no Default");
    }

    @Test
    void ref_whenParameterIsCommaDelimitedOrListType_returnsTrimmedList() {
        assertThat(resolve("!Ref Origins")).isEqualTo(List.of("https://a.example", "https://b.example"));
        assertThat(resolve("!Ref Subnets")).isEqualTo(List.of("subnet-1", "subnet-2"));
        assertThat(resolve("!Ref Subnets", context(Map.of("Subnets", " subnet-9 ")))).isEqualTo(List.of("subnet-9"));
    }

    @Test
    void ref_whenPseudoParameter_returnsContextValue() {
        assertThat(resolve("[!Ref 'AWS::Region', !Ref 'AWS::AccountId', {Ref: 'AWS::StackName'}, "
                + "!Ref 'AWS::Partition', !Ref 'AWS::URLSuffix']"))
                .isEqualTo(List.of("eu-west-1", "123456789012", "reel", "aws", "amazonaws.com"));
    }

    @Test
    void ref_whenResource_returnsItsLocalName() {
        assertThat(resolve("!Ref VideosTable")).isEqualTo("reel-videos");
    }

    @Test
    void ref_whenNameIsUnknownLocally_namesItAndPlace() {
        assertThatThrownBy(() -> resolve("!Ref Elsewhere"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith(WHERE + ": ")
                .hasMessageContaining("Ref Elsewhere cannot be resolved locally");
        assertThatThrownBy(() -> resolve("!Ref 'AWS::NotificationARNs'"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("AWS::NotificationARNs")
                .hasMessageContaining(WHERE);
    }

    @Test
    void noValue_whenInMapOrList_isDropped() {
        assertThat(resolve("{Keep: 1, Drop: !Ref 'AWS::NoValue', List: [a, {Ref: 'AWS::NoValue'}, b]}"))
                .isEqualTo(Map.of("Keep", 1, "List", List.of("a", "b")));
        assertThat(resolve("!Ref 'AWS::NoValue'")).isSameAs(IntrinsicResolver.NO_VALUE);
    }

    @Test
    void getAtt_whenShortOrLongForm_returnsLocalAttribute() {
        assertThat(resolve("!GetAtt MediaBucket.Arn")).isEqualTo("arn:aws:s3:::reel-media");
        assertThat(resolve("{'Fn::GetAtt': [MediaBucket, DomainName]}")).isEqualTo("reel-media.s3.local");
        assertThat(resolve("{'Fn::GetAtt': MediaBucket.Arn}")).isEqualTo("arn:aws:s3:::reel-media");
    }

    @Test
    void getAtt_whenAttributeIsUnknown_namesResourceAttributeAndPlace() {
        assertThatThrownBy(() -> resolve("!GetAtt VideosTable.StreamArn"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("VideosTable.StreamArn")
                .hasMessageContaining(WHERE);
    }

    @Test
    void sub_whenStringForm_resolvesParametersPseudoParametersResourcesAndAttributes() {
        assertThat(resolve("!Sub '${AWS::StackName}-${Stage}-${VideosTable}-${MediaBucket.Arn}-${Retention}'"))
                .isEqualTo("reel-dev-reel-videos-arn:aws:s3:::reel-media-7");
        assertThat(resolve("{'Fn::Sub': 'arn:${AWS::Partition}:s3:::${MediaBucket}'}")).isEqualTo("arn:aws:s3:::reel-media");
    }

    @Test
    void sub_whenLiteralIsEscaped_writesItWithoutTheBang() {
        assertThat(resolve("!Sub 'echo ${!HOME} in ${AWS::Region}, $5 and ${unclosed'"))
                .isEqualTo("echo ${HOME} in eu-west-1, $5 and ${unclosed");
    }

    @Test
    void sub_whenListForm_resolvesVariablesFirstAndTheyTakePrecedence() {
        assertThat(resolve("!Sub ['${Stage}/${Table}/${Size}/${AWS::Region}', {Stage: live, Table: !Ref VideosTable, Size: 42}]"))
                .isEqualTo("live/reel-videos/42/eu-west-1");
    }

    @Test
    void sub_whenVariableCannotBeResolved_namesItAndPlace() {
        assertThatThrownBy(() -> resolve("!Sub 'x-${Missing}'"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("${Missing}")
                .hasMessageContaining(WHERE);
        assertThatThrownBy(() -> resolve("!Sub '${MediaBucket.Missing}'"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("${MediaBucket.Missing}");
    }

    @Test
    void join_whenShortOrLongForm_joinsResolvedItems() {
        assertThat(resolve("!Join ['-', [a, !Ref Stage, 3, !Ref 'AWS::NoValue']]")).isEqualTo("a-dev-3");
        assertThat(resolve("{'Fn::Join': ['', [{Ref: VideosTable}, '/', x]]}")).isEqualTo("reel-videos/x");
    }

    @Test
    void join_whenListIsItselfAnIntrinsic_joinsWhatItYields() {
        assertThat(resolve("!Join [',', !Ref Origins]")).isEqualTo("https://a.example,https://b.example");
        assertThat(resolve("!Join [' ', !GetAZs '']")).isEqualTo("eu-west-1a eu-west-1b eu-west-1c");
    }

    @Test
    void select_whenIndexIsNumberOrNumericString_picksTheElement() {
        assertThat(resolve("!Select [1, [a, b, c]]")).isEqualTo("b");
        assertThat(resolve("{'Fn::Select': ['2', !GetAZs '']}")).isEqualTo("eu-west-1c");
        assertThat(resolve("!Select [0, !Ref Subnets]")).isEqualTo("subnet-1");
    }

    @Test
    void select_whenIndexIsOutOfRange_namesPlace() {
        assertThatThrownBy(() -> resolve("!Select [3, [a, b]]"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("Fn::Select index 3 is out of range")
                .hasMessageContaining(WHERE);
    }

    @Test
    void split_whenDelimiterOccurs_returnsTheParts() {
        assertThat(resolve("!Split ['.', a.b..c]")).isEqualTo(List.of("a", "b", "", "c"));
        assertThat(resolve("{'Fn::Split': ['|', !Sub '${Stage}|x']}")).isEqualTo(List.of("dev", "x"));
    }

    @Test
    void if_whenConditionHolds_resolvesOnlyTheChosenBranch() {
        String value = "!If [IsProd, !Ref Unresolvable, !Sub '${Stage}-only']";

        assertThat(resolve(value)).isEqualTo("dev-only");
        assertThat(resolve("{'Fn::If': [IsDev, yes, !Ref Unresolvable]}")).isEqualTo("yes");
    }

    @Test
    void if_whenChosenBranchIsNoValue_dropsTheEntry() {
        assertThat(resolve("{Memory: !If [IsProd, 1024, !Ref 'AWS::NoValue'], Name: x}")).isEqualTo(Map.of("Name", "x"));
        assertThat(resolve("{Memory: !If [IsProd, 1024, !Ref 'AWS::NoValue']}", context(Map.of("Stage", "prod"))))
                .isEqualTo(Map.of("Memory", 1024));
    }

    @Test
    void resolve_whenSubIsInsideIfInsideJoin_resolvesEveryLevel() {
        assertThat(resolve("!Join ['/', [root, !If [IsDev, !Sub '${Stage}-${AWS::Region}', prod], !Select [0, !Split [',', 'a,b']]]]"))
                .isEqualTo("root/dev-eu-west-1/a");
    }

    @Test
    void condition_whenAndOrNotEqualsAndConditionReferences_evaluatesThem() {
        IntrinsicResolver dev = resolver(Map.of());
        IntrinsicResolver prod = resolver(Map.of("Stage", "prod"));

        assertThat(List.of(dev.condition("IsProd"), dev.condition("IsDev"), dev.condition("IsEuropean"),
                dev.condition("IsDevInEurope"), dev.condition("IsProdOrLongRetention"), dev.condition("LongFormProd")))
                .containsExactly(false, true, true, true, false, false);
        assertThat(List.of(prod.condition("IsProd"), prod.condition("IsDevInEurope"), prod.condition("IsProdOrLongRetention")))
                .containsExactly(true, false, true);
        assertThat(resolver(Map.of("Retention", "30")).condition("IsProdOrLongRetention")).isTrue();
        assertThat(resolve("[!Condition IsDev, !Equals [!Ref Retention, 7]]")).isEqualTo(List.of(true, true));
    }

    @Test
    void condition_whenConditionsReferToEachOther_reportsTheCycle() {
        var template = CloudFormationTemplate.parse("template.yaml", """
                Conditions:
                  A: !And [!Condition B, !Equals [x, x]]
                  B: !Not [!Condition A]
                Resources: {}
                """);
        IntrinsicResolver resolver = new IntrinsicResolver(template, CONTEXT);

        assertThatThrownBy(() -> resolver.condition("A"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("cycle")
                .hasMessageContaining("A -> B -> A");
    }

    @Test
    void condition_whenItsDefinitionFails_namesConditionAndPlace() {
        assertThatThrownBy(() -> resolve("!If [NeedsSecret, a, b]"))
                .isInstanceOf(TemplateException.class)
                .hasMessage(WHERE + ", condition NeedsSecret: parameter Secret has no Default (a single value) and no local override");
    }

    @Test
    void condition_whenNameIsUnknown_namesItAndPlace() {
        assertThatThrownBy(() -> resolve("!If [IsStaging, a, b]"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("no condition IsStaging")
                .hasMessageContaining(WHERE);
    }

    @Test
    void findInMap_whenKeysExist_returnsTheValue() {
        assertThat(resolve("!FindInMap [StageConfig, !Ref Stage, MemorySize]")).isEqualTo(512);
        assertThat(resolve("{'Fn::FindInMap': [StageConfig, dev, Domains]}")).isEqualTo(List.of("dev.example", "www.dev.example"));
        assertThat(resolve("!FindInMap [Accounts, !Ref 'AWS::AccountId', Alias]")).isEqualTo("main");
    }

    @Test
    void findInMap_whenKeyIsMissing_namesMapKeysAndPlace() {
        assertThatThrownBy(() -> resolve("!FindInMap [StageConfig, prod, Domains]"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("StageConfig / prod / Domains")
                .hasMessageContaining(WHERE);
    }

    @Test
    void base64_whenShortOrLongForm_encodesUtf8() {
        String expected = Base64.getEncoder().encodeToString("#!/bin/sh dev ü".getBytes(StandardCharsets.UTF_8));

        assertThat(resolve("!Base64 {'Fn::Sub': '#!/bin/sh ${Stage} ü'}")).isEqualTo(expected);
        assertThat(resolve("{'Fn::Base64': '#!/bin/sh dev ü'}")).isEqualTo(expected);
    }

    @Test
    void getAZs_whenRegionIsKnown_returnsThreeZonesOfIt() {
        assertThat(resolve("!GetAZs ''")).isEqualTo(List.of("eu-west-1a", "eu-west-1b", "eu-west-1c"));
        assertThat(resolve("{'Fn::GetAZs': !Ref 'AWS::Region'}")).isEqualTo(List.of("eu-west-1a", "eu-west-1b", "eu-west-1c"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Fn::ImportValue", "Fn::Cidr", "Fn::Transform", "Fn::Length", "Fn::ToJsonString", "Fn::Madeup"})
    void resolve_whenFunctionIsUnsupportedLocally_namesFunctionAndPlace(String function) {
        assertThatThrownBy(() -> resolve("{'" + function + "': [a, b]}"))
                .isInstanceOf(TemplateException.class)
                .hasMessage(WHERE + ": " + function + " is not supported by the local platform");
    }

    @Test
    void resolve_whenShortFormIsUnsupportedLocally_namesFunctionAndPlace() {
        assertThatThrownBy(() -> resolve("!ImportValue shared-vpc"))
                .isInstanceOf(TemplateException.class)
                .hasMessage(WHERE + ": Fn::ImportValue is not supported by the local platform");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "!Join ['-']", "!Join ['-', notAList]", "!Join ['-', [[nested]]]", "!If [IsProd, a]", "!If [[IsProd], a, b]",
            "!Select [x, [a]]", "!Select [0, notAList]", "!Split [',']", "!Split ['', abc]", "!Sub [template]",
            "!Sub ['${A}', notAMap]", "!Sub [[a], {}]", "!Equals [a]", "!Not [a]", "!Not a", "!And [!Condition IsDev]",
            "!Or [!Condition IsDev, x]", "!FindInMap [StageConfig, dev]", "!Base64 [a]", "!GetAtt [MediaBucket]",
            "{Ref: [Stage]}", "{Condition: {x: y}}", "!Sub {a: b}", "!Join ['-', [null]]", "!FindInMap [null, a, b]", "{Ref: null}"})
    void resolve_whenArgumentsHaveTheWrongShape_namesFunctionAndPlace(String value) {
        String function = value.startsWith("!") ? "Fn::" + value.substring(1, value.indexOf(' ')) : value.substring(1, value.indexOf(':'));

        assertThatThrownBy(() -> resolve(value))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith(WHERE + ": ")
                .hasMessageContaining(function);
    }
}
