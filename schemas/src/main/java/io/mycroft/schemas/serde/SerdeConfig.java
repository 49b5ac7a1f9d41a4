package io.mycroft.schemas.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serde settings, under Confluent's names so existing client configs work unchanged. A {@code mock://scope} URL selects
 * an {@link InMemorySchemaRegistry} shared by every serde with that URL (unit tests).
 */
public record SerdeConfig(SchemaRegistry registry, boolean autoRegister) {
    public static final String REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER = "auto.register.schemas";
    private static final String MOCK_PREFIX = "mock://";
    private static final Map<String, SchemaRegistry> CLIENTS = new ConcurrentHashMap<>();

    public static SerdeConfig from(Map<String, ?> configs) {
        Object url = configs.get(REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException(REGISTRY_URL + " is required (e.g. http://127.0.0.1:8081 or mock://tests)");
        }
        Object autoRegister = configs.get(AUTO_REGISTER);
        return new SerdeConfig(registryFor(url.toString()),
                autoRegister == null || Boolean.parseBoolean(autoRegister.toString()));
    }

    /** One client per URL, so all serdes of a process share its connections. */
    public static SchemaRegistry registryFor(String url) {
        if (url.startsWith(MOCK_PREFIX)) {
            return InMemorySchemaRegistry.scope(url.substring(MOCK_PREFIX.length()));
        }
        return CLIENTS.computeIfAbsent(url, RestSchemaRegistryClient::new);
    }
}
