package io.ordercqrs.testsupport;

import io.ordercqrs.testsupport.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bad input as a service's own OpenAPI document lets a client express it: for a valid body, every
 * variant with a required field missing, a wrong type, a value out of range, an unknown enum value,
 * a malformed UUID or a fractional integer; for an operation's query parameters, each malformed or
 * out of range. Each service's bad-input test sends them all and expects a 4xx problem naming the field.
 */
public final class BadInputs {

    private static final JsonMapper JSON = JsonMapper.shared();

    private BadInputs() {
    }

    /** One bad value of a query parameter. */
    public record ParameterVariant(String description, String field, String value) {
    }

    /** Every bad value of each query parameter of {@code operation} the document lets a client express. */
    public static List<ParameterVariant> parameterVariants(JsonNode docs, JsonNode operation) {
        List<ParameterVariant> variants = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            if (!"query".equals(parameter.path("in").asString(""))) {
                continue;
            }
            String name = parameter.get("name").asString();
            JsonNode spec = resolve(docs, parameter.path("schema"));
            String type = spec.path("type").asString("");
            if (type.equals("integer")) {
                variants.add(new ParameterVariant(name + " as text", name, "abc"));
                variants.add(new ParameterVariant(name + " fractional", name, "2.5"));
                if (spec.has("minimum")) {
                    variants.add(new ParameterVariant(name + " below the minimum", name,
                            Long.toString(spec.get("minimum").asLong() - 1)));
                }
                if (spec.has("maximum")) {
                    variants.add(new ParameterVariant(name + " above the maximum", name,
                            Long.toString(spec.get("maximum").asLong() + 1)));
                }
            }
            else if (type.equals("string")) {
                if (spec.has("enum")) {
                    variants.add(new ParameterVariant(name + " unknown value", name, "NO_SUCH_VALUE"));
                }
                String format = spec.path("format").asString("");
                if (format.equals("uuid") || format.equals("date-time")) {
                    variants.add(new ParameterVariant(name + " malformed " + format, name, "not-valid"));
                }
            }
        }
        return variants;
    }

    /** One bad variant of a valid body, and the field it breaks. */
    public record Variant(String description, String field, JsonNode body) {
    }

    /** Every bad variant of {@code valid} the schema lets a client express, field by field. */
    public static List<Variant> variants(JsonNode docs, JsonNode schema, JsonNode valid, String prefix) {
        schema = resolve(docs, schema);
        List<Variant> variants = new ArrayList<>();
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(name -> required.add(name.asString()));
        for (var property : schema.path("properties").properties()) {
            String name = property.getKey();
            String field = prefix + name;
            JsonNode spec = resolve(docs, property.getValue());
            if (!valid.has(name)) {
                continue;
            }
            if (required.contains(name)) {
                variants.add(new Variant("without " + field, field, without(valid, name)));
            }
            String type = spec.path("type").asString("");
            if (type.equals("string")) {
                variants.add(new Variant(field + " as an object", field, with(valid, name, JSON.createObjectNode())));
                if (spec.has("maxLength")) {
                    variants.add(new Variant(field + " too long", field,
                            with(valid, name, JSON.getNodeFactory().stringNode("x".repeat(spec.get("maxLength").asInt() + 1)))));
                }
                if (spec.has("enum")) {
                    variants.add(new Variant(field + " unknown value", field,
                            with(valid, name, JSON.getNodeFactory().stringNode("NO_SUCH_VALUE"))));
                }
                if ("uuid".equals(spec.path("format").asString(""))) {
                    variants.add(new Variant(field + " malformed uuid", field,
                            with(valid, name, JSON.getNodeFactory().stringNode("not-a-uuid"))));
                }
            }
            else if (type.equals("integer")) {
                variants.add(new Variant(field + " fractional", field,
                        with(valid, name, JSON.getNodeFactory().numberNode(2.5))));
                variants.add(new Variant(field + " as text", field,
                        with(valid, name, JSON.getNodeFactory().stringNode("two"))));
                if (spec.has("minimum")) {
                    variants.add(new Variant(field + " below the minimum", field,
                            with(valid, name, JSON.getNodeFactory().numberNode(spec.get("minimum").asLong() - 1))));
                }
            }
            else if (type.equals("array")) {
                variants.add(new Variant(field + " as a string", field,
                        with(valid, name, JSON.getNodeFactory().stringNode("x"))));
                JsonNode first = valid.get(name).get(0);
                if (first != null && first.isObject()) {
                    for (Variant nested : variants(docs, spec.get("items"), first, field + "[0].")) {
                        var items = valid.get(name).deepCopy();
                        ((tools.jackson.databind.node.ArrayNode) items).set(0, nested.body());
                        variants.add(new Variant(nested.description(), nested.field(), with(valid, name, items)));
                    }
                }
            }
            else if (type.equals("object") || spec.has("properties")) {
                variants.add(new Variant(field + " as a string", field,
                        with(valid, name, JSON.getNodeFactory().stringNode("x"))));
                for (Variant nested : variants(docs, spec, valid.get(name), field + ".")) {
                    variants.add(new Variant(nested.description(), nested.field(), with(valid, name, nested.body())));
                }
            }
        }
        return variants;
    }

    /** Adds to {@code failures} unless the answer is a 4xx problem naming {@code field} (when 400). */
    public static void expect(List<String> failures, String what, Response response, String field) {
        boolean problem = response.header("Content-Type") != null
                && response.header("Content-Type").startsWith("application/problem+json");
        if (response.status() < 400 || response.status() >= 500 || !problem) {
            failures.add(what + ": " + response);
            return;
        }
        if (field != null && response.status() == 400) {
            List<String> fields = response.body().path("errors").findValuesAsString("field");
            if (fields.stream().noneMatch(named -> named.equals(field) || named.startsWith(field + ".")
                    || named.startsWith(field + "["))) {
                failures.add(what + ": names " + fields + ", not " + field);
            }
        }
    }

    private static JsonNode resolve(JsonNode docs, JsonNode schema) {
        if (schema.has("$ref")) {
            return resolve(docs, docs.at(schema.get("$ref").asString().substring(1)));
        }
        if (schema.has("allOf") && schema.get("allOf").size() == 1) {
            return resolve(docs, schema.get("allOf").get(0));
        }
        return schema;
    }

    private static JsonNode without(JsonNode object, String name) {
        var copy = (tools.jackson.databind.node.ObjectNode) object.deepCopy();
        copy.remove(name);
        return copy;
    }

    private static JsonNode with(JsonNode object, String name, JsonNode value) {
        var copy = (tools.jackson.databind.node.ObjectNode) object.deepCopy();
        copy.set(name, value);
        return copy;
    }

}
