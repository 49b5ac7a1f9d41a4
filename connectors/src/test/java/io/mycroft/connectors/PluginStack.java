package io.mycroft.connectors;

import io.mycroft.stack.LocalStack;
import io.mycroft.stack.PluginInstaller;
import io.mycroft.stack.StackProperties;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
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
    private final String workerClasspath;
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
        workerClasspath = Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !own.contains(entry))
                .collect(Collectors.joining(File.pathSeparator));
        System.setProperty("java.class.path", workerClasspath);
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

    /**
     * Starts a second Connect worker of the same cluster (same group and topics, the stack's worker config with its
     * own REST port) and waits until it answers; returns its REST URL and process.
     */
    SecondWorker startSecondWorker() throws IOException, InterruptedException {
        Properties config = new Properties();
        try (var in = Files.newBufferedReader(workDir.resolve("config").resolve("connect-worker.properties"))) {
            config.load(in);
        }
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        config.setProperty("listeners", "http://127.0.0.1:" + port);
        config.setProperty("rest.advertised.port", Integer.toString(port));
        Path file = workDir.resolve("config").resolve("connect-worker-2.properties");
        try (var out = Files.newBufferedWriter(file)) {
            config.store(out, "second worker of the connectors' two-worker test");
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dlog4j2.configurationFile=" + workDir.resolve("config").resolve("log4j2.properties"),
                "org.apache.kafka.connect.cli.ConnectDistributed", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("logs").resolve("connect-2.log").toFile());
        builder.environment().put("CLASSPATH", workerClasspath);
        Process process = builder.start();
        String url = "http://127.0.0.1:" + port;
        var http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
        while (true) {
            try {
                if (http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/connectors")).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return new SecondWorker(url, process);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the second Connect worker did not start; see logs/connect-2.log");
            }
            Thread.sleep(250);
        }
    }

    record SecondWorker(String url, Process process) {
        /**
         * SIGTERM: the worker stops its tasks and leaves the group. A worker whose shutdown hangs (seen once in CI, the
         * test then waiting forever) is killed after {@link #STOP_GRACE}; the group then drops it on its session timeout.
         */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(STOP_GRACE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }

        private static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(60);
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
