package io.mycroft.schemas.serde;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serde settings, under Confluent's names so existing client configs work unchanged. A {@code mock://scope} URL selects
 * an {@link InMemorySchemaRegistry} shared by every serde with that URL (unit tests). HTTP Basic credentials come as
 * Confluent's {@code basic.auth.credentials.source=USER_INFO} with {@code basic.auth.user.info=user:password}.
 */
public record SerdeConfig(SchemaRegistry registry, boolean autoRegister) {
    public static final String REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER = "auto.register.schemas";
    public static final String CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String USER_INFO = "basic.auth.user.info";
    /** The one {@link #CREDENTIALS_SOURCE} supported: the credentials are {@link #USER_INFO}. */
    public static final String SOURCE_USER_INFO = "USER_INFO";
    private static final String MOCK_PREFIX = "mock://";
    private static final Map<String, SchemaRegistry> CLIENTS = new ConcurrentHashMap<>();

    public static SerdeConfig from(Map<String, ?> configs) {
        Object url = configs.get(REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException(REGISTRY_URL + " is required (e.g. http://127.0.0.1:8081 or mock://tests)");
        }
        Object autoRegister = configs.get(AUTO_REGISTER);
        return new SerdeConfig(registryFor(url.toString(), userInfo(configs)),
                autoRegister == null || Boolean.parseBoolean(autoRegister.toString()));
    }

    /** The {@code user:password} to log in with; empty when the config names none. */
    static Optional<String> userInfo(Map<String, ?> configs) {
        Object source = configs.get(CREDENTIALS_SOURCE);
        Object userInfo = configs.get(USER_INFO);
        if (source != null && !SOURCE_USER_INFO.equals(source.toString())) {
            throw new IllegalArgumentException(CREDENTIALS_SOURCE + "=" + source + " is not supported, only " + SOURCE_USER_INFO);
        }
        if (userInfo == null || userInfo.toString().isBlank()) {
            if (source != null) {
                throw new IllegalArgumentException(CREDENTIALS_SOURCE + "=" + SOURCE_USER_INFO + " needs " + USER_INFO + "=user:password");
            }
            return Optional.empty();
        }
        return Optional.of(userInfo.toString());
    }

    /** One client per URL, so all serdes of a process share its connections. */
    public static SchemaRegistry registryFor(String url) {
        return registryFor(url, Optional.empty());
    }

    /** One client per URL and login, so all serdes of a process that log in alike share its connections. */
    public static SchemaRegistry registryFor(String url, Optional<String> userInfo) {
        if (url.startsWith(MOCK_PREFIX)) {
            return InMemorySchemaRegistry.scope(url.substring(MOCK_PREFIX.length()));
        }
        String key = userInfo.map(u -> u + "@").orElse("") + url;
        return CLIENTS.computeIfAbsent(key, k -> new RestSchemaRegistryClient(url, userInfo));
    }
}
