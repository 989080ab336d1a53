package dev.arbor.api.permission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * Grants {@link #actions} on {@link #resources} and on everything below them. Actions are spelled as
 * {@link Action#qualifiedName}, a category ({@code database.*}) or {@code *}; patterns keep their meaning as actions
 * are added (a statement granting {@code database.*} grants a database action added later).
 *
 * <p>JSON: {@code {"resources": [["arbor", "database", "blog"]], "actions": ["database.read_document"]}}.
 */
public record Statement(List<ResourceName> resources, List<String> actions) {
    public Statement {
        resources = List.copyOf(resources);
        actions = List.copyOf(actions);
        if (resources.isEmpty()) {
            throw new IllegalArgumentException("a statement names at least one resource");
        }
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("a statement grants at least one action");
        }
        for (String action : actions) {
            requireActionPattern(action);
        }
    }

    /** A statement granting {@code actions} on one resource. */
    public static Statement grant(ResourceName resource, Action... actions) {
        return new Statement(List.of(resource), java.util.Arrays.stream(actions).map(Action::qualifiedName).toList());
    }

    /** A statement granting every action of {@code category} ({@code "database"}), or every action for {@code "*"}. */
    public static Statement grantAll(ResourceName resource, String category) {
        return new Statement(List.of(resource), List.of("*".equals(category) ? "*" : category + ".*"));
    }

    /** Whether the statement grants {@code action} (on its resources). */
    public boolean grants(Action action) {
        return grants(action.qualifiedName());
    }

    /** Whether the statement grants the action named {@code category.name}, built-in or a custom API's. */
    public boolean grants(String qualifiedAction) {
        String category = qualifiedAction.substring(0, Math.max(0, qualifiedAction.indexOf('.')));
        for (String pattern : actions) {
            if (pattern.equals("*") || pattern.equals(category + ".*") || pattern.equals(qualifiedAction)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the statement grants the action named {@code qualifiedAction} on {@code resource}. */
    public boolean allows(ResourceName resource, String qualifiedAction) {
        return grants(qualifiedAction) && resources.stream().anyMatch(granted -> granted.covers(resource));
    }

    /** Whether the statement grants {@code action} on {@code resource}. */
    public boolean allows(ResourceName resource, Action action) {
        return grants(action) && resources.stream().anyMatch(granted -> granted.covers(resource));
    }

    private static void requireActionPattern(String pattern) {
        if (pattern == null) {
            throw new IllegalArgumentException("an action is a string");
        }
        if (pattern.equals("*") || Action.byName(pattern).isPresent() || Action.isCustom(pattern)) {
            return;
        }
        if (pattern.endsWith(".*") && Action.isCategory(pattern.substring(0, pattern.length() - 2))) {
            return;
        }
        throw new IllegalArgumentException("unknown action " + Json.text(Json.MAPPER.valueToTree(pattern))
                + ": an action is \"category.name\" (such as \"database.read_document\", or a custom API's \"api.name\"), \"category.*\" or \"*\"");
    }

    /** @throws IllegalArgumentException naming what is wrong with {@code json} */
    public static Statement fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("a statement is an object with \"resources\" and \"actions\"");
        }
        JsonNode resources = json.get("resources");
        JsonNode actions = json.get("actions");
        if (resources == null || !resources.isArray() || actions == null || !actions.isArray()) {
            throw new IllegalArgumentException("a statement has \"resources\" (an array of resource names) and "
                    + "\"actions\" (an array of action names)");
        }
        List<ResourceName> names = new ArrayList<>(resources.size());
        resources.forEach(name -> names.add(ResourceName.fromJson(name)));
        List<String> granted = new ArrayList<>(actions.size());
        for (JsonNode action : actions) {
            if (!action.isTextual()) {
                throw new IllegalArgumentException("an action is a string, not " + Json.text(action));
            }
            granted.add(action.asText());
        }
        return new Statement(names, granted);
    }

    public ObjectNode toJson() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode names = out.putArray("resources");
        resources.forEach(name -> names.add(name.toJson()));
        actions.forEach(out.putArray("actions")::add);
        return out;
    }
}
