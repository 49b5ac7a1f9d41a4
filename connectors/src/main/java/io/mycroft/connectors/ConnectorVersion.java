package io.mycroft.connectors;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The plugin's version as Maven wrote it into {@code mycroft-connectors.properties}; Connect shows it per plugin. */
final class ConnectorVersion {
    static final String VERSION = load();

    private ConnectorVersion() {
    }

    private static String load() {
        try (InputStream in = ConnectorVersion.class.getResourceAsStream("/mycroft-connectors.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
