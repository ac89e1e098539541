package io.reel.localaws.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

class TemplateResourcesTest {

    @Test
    void projectTemplate_declaresTheTablesAndBucketsOfTheMap() {
        var resources = TemplateResources.from(CloudFormationTemplate.load(TemplateResources.locateTemplate(Path.of(""))));

        assertThat(resources.tables()).extracting(TableSpec::logicalId)
                .containsExactlyInAnyOrder("UsersTable", "SessionsTable", "VideosTable", "PlaybackPositionsTable");
        assertThat(resources.buckets()).extracting(BucketSpec::logicalId)
                .containsExactlyInAnyOrder("UploadsBucket", "MediaBucket", "SiteBucket", "LogsBucket");
        TableSpec videos = resources.table("VideosTable").orElseThrow();
        assertThat(videos.keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("videoId");
        assertThat(videos.globalSecondaryIndexes()).extracting(i -> i.indexName()).containsExactlyInAnyOrder("byStatus", "byOwner");
        assertThat(resources.table("SessionsTable").orElseThrow().timeToLiveAttribute()).contains("expiresAtEpoch");
        assertThat(resources.table("UsersTable").orElseThrow().timeToLiveAttribute()).isEmpty();
    }

    @Test
    void tableWithoutKeySchema_namesResourceAndProperty() {
        assertThatThrownBy(() -> from("""
                Resources:
                  UsersTable:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      AttributeDefinitions: [{AttributeName: username, AttributeType: S}]
                """)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("UsersTable (AWS::DynamoDB::Table)")
                .hasMessageContaining("KeySchema");
    }

    @Test
    void keyNotInAttributeDefinitions_isNamed() {
        assertThatThrownBy(() -> from("""
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      AttributeDefinitions: [{AttributeName: a, AttributeType: S}]
                      KeySchema: [{AttributeName: b, KeyType: HASH}]
                """)).isInstanceOf(TemplateException.class).hasMessageContaining("Resource T").hasMessageContaining("b");
    }

    @Test
    void intrinsicWhereALiteralIsNeeded_isNamed() {
        assertThatThrownBy(() -> from("""
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      AttributeDefinitions: [{AttributeName: !Ref KeyName, AttributeType: S}]
                      KeySchema: [{AttributeName: a, KeyType: HASH}]
                """)).isInstanceOf(TemplateException.class).hasMessageContaining("AttributeName").hasMessageContaining("literal");
    }

    @Test
    void unknownAttributeType_isNamed() {
        assertThatThrownBy(() -> from("""
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      AttributeDefinitions: [{AttributeName: a, AttributeType: STRING}]
                      KeySchema: [{AttributeName: a, KeyType: HASH}]
                """)).isInstanceOf(TemplateException.class).hasMessageContaining("AttributeType").hasMessageContaining("STRING");
    }

    @Test
    void gsiWithoutProjection_isNamed() {
        assertThatThrownBy(() -> from("""
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      AttributeDefinitions: [{AttributeName: a, AttributeType: S}, {AttributeName: g, AttributeType: S}]
                      KeySchema: [{AttributeName: a, KeyType: HASH}]
                      GlobalSecondaryIndexes:
                        - IndexName: byG
                          KeySchema: [{AttributeName: g, KeyType: HASH}]
                """)).isInstanceOf(TemplateException.class).hasMessageContaining("Projection");
    }

    @Test
    void includeProjection_keepsItsAttributes() {
        var table = from("""
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      AttributeDefinitions: [{AttributeName: a, AttributeType: S}, {AttributeName: g, AttributeType: N}]
                      KeySchema: [{AttributeName: a, KeyType: HASH}]
                      GlobalSecondaryIndexes:
                        - IndexName: byG
                          KeySchema: [{AttributeName: g, KeyType: HASH}, {AttributeName: a, KeyType: RANGE}]
                          Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [title]}
                """).tables().get(0);

        assertThat(table.createRequest("T-1").globalSecondaryIndexes().get(0).projection().nonKeyAttributes()).containsExactly("title");
        assertThat(table.createRequest("T-1").tableName()).isEqualTo("T-1");
    }

    @Test
    void locateTemplate_whenAbsent_saysWhereItLooked() {
        assertThatThrownBy(() -> TemplateResources.locateTemplate(Path.of("/")))
                .isInstanceOf(TemplateException.class).hasMessageContaining("reel.template");
    }

    private static TemplateResources from(String yaml) {
        return TemplateResources.from(CloudFormationTemplate.parse("t.yaml", yaml));
    }
}
