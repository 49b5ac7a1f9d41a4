package io.mycroft.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Puts the connectors' plugin jar into a Connect worker's plugin.path as its own plugin directory
 * ({@code <plugin.path>/mycroft-connectors/}), replacing any earlier version there.
 */
public final class PluginInstaller {
    public static final String PLUGIN_DIRECTORY = "mycroft-connectors";

    private PluginInstaller() {
    }

    /** Copies {@code pluginJar} into {@code pluginPath}; returns the installed file. */
    public static Path install(Path pluginJar, Path pluginPath) {
        if (!Files.isRegularFile(pluginJar) || !pluginJar.getFileName().toString().endsWith("-plugin.jar")) {
            throw new StackException(pluginJar + " is not the connectors' plugin jar (mycroft-connectors-<version>-plugin.jar); "
                    + "build it with: mvn -pl connectors -am package -DskipTests");
        }
        Path dir = pluginPath.resolve(PLUGIN_DIRECTORY);
        try {
            Files.createDirectories(dir);
            // Two versions side by side would make the worker pick one of them: keep only the new one.
            try (Stream<Path> old = Files.list(dir)) {
                for (Path jar : old.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    Files.delete(jar);
                }
            }
            return Files.copy(pluginJar, dir.resolve(pluginJar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install " + pluginJar + " into " + dir, e);
        }
    }
}
