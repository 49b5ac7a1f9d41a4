package io.mycroft.connectors;

import io.mycroft.connectors.cli.PluginInstaller;
import io.mycroft.stack.LocalStack;
import io.mycroft.stack.StackProperties;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real local stack of its own (the tests kill and restart its Connect worker) whose worker finds the connectors only
 * through plugin.path: the plugin jar is installed there, and this module's classes are taken off the class path the
 * children inherit. So the tests exercise the packaged plugin, exactly as an operator installs it.
 */
final class PluginStack {
    private static PluginStack shared;

    private final Path workDir;
    private final LocalStack stack;
    private StackProperties endpoints;

    /** The one stack of this test JVM, started on first use, stopped and deleted when the JVM exits. */
    static synchronized PluginStack shared() throws IOException {
        if (shared == null) {
            PluginStack stack = new PluginStack();
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "plugin-stack-down"));
            stack.up();
            shared = stack;
        }
        return shared;
    }

    private PluginStack() throws IOException {
        workDir = Files.createTempDirectory("mycroft-connectors-it-");
        PluginInstaller.install(Path.of(System.getProperty("mycroft.connectors.pluginJar")), workDir.resolve("plugins"));
        String classpath = System.getProperty("java.class.path");
        List<String> own = List.of(System.getProperty("mycroft.connectors.moduleJar"),
                System.getProperty("mycroft.connectors.moduleClasses"));
        // LocalStack hands its children this JVM's class path, read once in its constructor.
        System.setProperty("java.class.path", Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !own.contains(entry))
                .collect(Collectors.joining(File.pathSeparator)));
        try {
            stack = new LocalStack(workDir, line -> System.out.println("[stack] " + line));
        } finally {
            System.setProperty("java.class.path", classpath);
        }
    }

    /** Starts whatever is not running (after {@link #killConnect()}: the worker). */
    StackProperties up() {
        endpoints = stack.up(false);
        return endpoints;
    }

    StackProperties endpoints() {
        return endpoints;
    }

    /** kill -9 of the Connect worker: no offset flush, no transaction commit or abort, no group leave. */
    void killConnect() {
        ProcessHandle worker = ProcessHandle.of(endpoints.pid(io.mycroft.stack.Component.CONNECT).orElseThrow()).orElseThrow();
        try {
            Process kill = new ProcessBuilder("kill", "-9", Long.toString(worker.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -9 " + worker.pid() + " failed");
            }
            worker.onExit().join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Path workDir() {
        return workDir;
    }

    private void close() {
        stack.down();
        try (Stream<Path> paths = Files.walk(workDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
