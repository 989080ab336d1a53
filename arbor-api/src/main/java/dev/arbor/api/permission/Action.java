package dev.arbor.api.permission;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a statement allows, by category, as BonsaiDb's actions: {@code category.name} is how statements and the
 * configuration spell them ({@code database.read_document}); a statement may name a whole category
 * ({@code database.*}) or everything ({@code *}).
 */
public enum Action {
    SERVER_CONNECT("server", "connect"),
    SERVER_CREATE_DATABASE("server", "create_database"),
    SERVER_DELETE_DATABASE("server", "delete_database"),
    SERVER_LIST_DATABASES("server", "list_databases"),
    SERVER_MANAGE_USERS("server", "manage_users"),

    DATABASE_READ_DOCUMENT("database", "read_document"),
    DATABASE_WRITE_DOCUMENT("database", "write_document"),
    DATABASE_QUERY_VIEW("database", "query_view"),
    DATABASE_QUERY_INDEX("database", "query_index"),
    DATABASE_READ_CHANGES("database", "read_changes"),
    DATABASE_REPLICATE("database", "replicate"),
    DATABASE_COMPACT("database", "compact"),
    DATABASE_MANAGE_SECURITY("database", "manage_security"),

    KV_GET("kv", "get"),
    KV_SET("kv", "set"),
    KV_DELETE("kv", "delete"),

    PUBSUB_PUBLISH("pubsub", "publish"),
    PUBSUB_SUBSCRIBE("pubsub", "subscribe"),

    ENCRYPTION_ENCRYPT("encryption", "encrypt"),
    ENCRYPTION_DECRYPT("encryption", "decrypt"),

    /**
     * Calling a custom server API ({@code dev.arbor.api.custom.Api}) on {@code ["arbor", "api", name]}, the action an
     * API requires unless it declares another. APIs may also declare actions of their own in this category
     * ({@code api.increment_counter}), which statements grant by name as they grant the built-in ones.
     */
    API_CALL("api", "call");

    /** The category whose action names an application may choose: its custom APIs' ({@link #isCustom}). */
    public static final String CUSTOM_CATEGORY = "api";

    private final String category;
    private final String actionName;

    Action(String category, String actionName) {
        this.category = category;
        this.actionName = actionName;
    }

    public String category() {
        return category;
    }

    /** {@code category.name}, as statements spell it. */
    public String qualifiedName() {
        return category + "." + actionName;
    }

    public static Optional<Action> byName(String qualifiedName) {
        return Arrays.stream(values()).filter(action -> action.qualifiedName().equals(qualifiedName)).findFirst();
    }

    /**
     * Whether {@code qualifiedName} is a custom API's own action: {@code api.} and a name of letters, digits, {@code _}
     * and {@code -}. The other categories are closed, so a misspelt built-in action is still refused.
     */
    public static boolean isCustom(String qualifiedName) {
        return qualifiedName != null && qualifiedName.startsWith(CUSTOM_CATEGORY + ".")
                && qualifiedName.length() > CUSTOM_CATEGORY.length() + 1
                && qualifiedName.substring(CUSTOM_CATEGORY.length() + 1).matches("[A-Za-z0-9_-]+");
    }

    /** Whether {@code category} is one of the actions' categories. */
    public static boolean isCategory(String category) {
        return Arrays.stream(values()).anyMatch(action -> action.category.equals(category));
    }
}
