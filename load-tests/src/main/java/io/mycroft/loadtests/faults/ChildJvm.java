package io.mycroft.loadtests.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One component of the pipeline (the Streams app, an inference worker) as its own JVM on this JVM's class path, the way
 * the local stack starts its children: so it can be killed with SIGKILL, as a crash or the OOM killer would, and started
 * again with the same command line (same ids, same state directory).
 */
final class ChildJvm {
    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;

    ChildJvm(String name, List<String> jvmFlags, String mainClass, List<String> args, Path log) {
        this.name = name;
        this.command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add(mainClass);
        command.addAll(args);
        this.log = log;
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    synchronized void start() {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        return process.pid();
    }

    /** SIGKILL (Process.destroyForcibly on Linux): no shutdown hook, no commit, no leave-group, no flush. */
    synchronized void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
