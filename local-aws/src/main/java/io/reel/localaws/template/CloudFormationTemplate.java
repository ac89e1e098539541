package io.reel.localaws.template;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A CloudFormation / SAM template read as plain data. Short-form intrinsics ({@code !Ref X}, {@code !GetAtt A.B},
 * {@code !Sub ...}) are turned into their long form ({@code {Ref: X}}, {@code {Fn::GetAtt: [A, B]}}), so callers
 * see one shape whichever form the author wrote. Resolving intrinsics is the caller's business.
 */
public final class CloudFormationTemplate {
    private static final List<String> FUNCTION_TAGS = List.of(
            "Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "If", "ImportValue", "Join", "Select", "Split", "Sub",
            "Transform", "And", "Equals", "Not", "Or", "Length", "ToJsonString");

    private final String source;
    private final Map<String, Object> root;

    private CloudFormationTemplate(String source, Map<String, Object> root) {
        this.source = source;
        this.root = root;
    }

    public static CloudFormationTemplate load(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.toString(), reader);
        } catch (IOException e) {
            throw new TemplateException("Cannot read template " + file + ": " + e.getMessage(), e);
        }
    }

    public static CloudFormationTemplate parse(String source, String yaml) {
        return parse(source, new java.io.StringReader(yaml));
    }

    private static CloudFormationTemplate parse(String source, Reader reader) {
        LoadSettings settings = LoadSettings.builder().setLabel(source).setAllowDuplicateKeys(false).build();
        Object document;
        try {
            document = new Load(settings, new IntrinsicConstructor(settings)).loadFromReader(reader);
        } catch (YamlEngineException e) {
            throw new TemplateException("Template " + source + " is not valid YAML: " + e.getMessage(), e);
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new TemplateException("Template " + source + " is not a YAML mapping with a Resources section.");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) map;
        if (!(root.get("Resources") instanceof Map<?, ?>)) {
            throw new TemplateException("Template " + source + " has no Resources mapping.");
        }
        return new CloudFormationTemplate(source, root);
    }

    public String source() {
        return source;
    }

    /** A top-level section ({@code Parameters}, {@code Globals}, {@code Conditions}, ...), empty if absent. */
    public Map<String, Object> section(String name) {
        Object value = root.get(name);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new TemplateException("Template " + source + ": section " + name + " is not a mapping.");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
    }

    /** Every resource, in template order. */
    public List<Resource> resources() {
        List<Resource> resources = new ArrayList<>();
        section("Resources").forEach((logicalId, body) -> resources.add(Resource.of(source, logicalId, body)));
        return resources;
    }

    public List<Resource> resourcesOfType(String type) {
        return resources().stream().filter(r -> r.type().equals(type)).toList();
    }

    /** One entry of {@code Resources}. */
    public record Resource(String logicalId, String type, Map<String, Object> properties) {
        public Resource {
            Objects.requireNonNull(logicalId, "logicalId");
            Objects.requireNonNull(type, "type");
            properties = properties == null ? Map.of() : properties;
        }

        static Resource of(String source, String logicalId, Object body) {
            if (!(body instanceof Map<?, ?> map) || !(map.get("Type") instanceof String type)) {
                throw new TemplateException("Template " + source + ": resource " + logicalId + " has no Type.");
            }
            Object properties = map.get("Properties");
            if (properties != null && !(properties instanceof Map<?, ?>)) {
                throw new TemplateException("Template " + source + ": resource " + logicalId + " has Properties that are not a mapping.");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> props = (Map<String, Object>) properties;
            return new Resource(logicalId, type, props);
        }

        /** Names this resource in errors: "UsersTable (AWS::DynamoDB::Table)". */
        public String describe() {
            return logicalId + " (" + type + ")";
        }
    }

    /** Builds the long form of each CloudFormation short-form tag. */
    private static final class IntrinsicConstructor extends StandardConstructor {
        IntrinsicConstructor(LoadSettings settings) {
            super(settings);
            tagConstructors.put(new Tag("!Ref"), node -> Map.of("Ref", scalar(node)));
            tagConstructors.put(new Tag("!Condition"), node -> Map.of("Condition", scalar(node)));
            for (String function : FUNCTION_TAGS) {
                tagConstructors.put(new Tag("!" + function), node -> Map.of("Fn::" + function, argument(function, node)));
            }
        }

        private String scalar(Node node) {
            if (!(node instanceof ScalarNode scalar)) {
                throw new YamlEngineException(node.getTag().getValue() + " takes a single name" + at(node));
            }
            return scalar.getValue();
        }

        private Object argument(String function, Node node) {
            if (node instanceof ScalarNode scalar) {
                String value = scalar.getValue();
                if ("GetAtt".equals(function)) {
                    int dot = value.indexOf('.');
                    if (dot <= 0) {
                        throw new YamlEngineException("!GetAtt needs Resource.Attribute" + at(node));
                    }
                    return List.of(value.substring(0, dot), value.substring(dot + 1));
                }
                return value;
            }
            if (node instanceof SequenceNode sequence) {
                return constructSequence(sequence);
            }
            Map<Object, Object> mapping = new LinkedHashMap<>();
            constructMapping2ndStep((MappingNode) node, mapping);
            return mapping;
        }

        private static String at(Node node) {
            return node.getStartMark().map(mark -> " (line " + (mark.getLine() + 1) + ")").orElse("");
        }
    }
}
