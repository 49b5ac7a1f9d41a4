package io.mycroft.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starting, recognising and stopping the JVMs of the stack, and the free-port checks that go with them. */
final class ChildProcesses {
    /** Put on every child's command line so a recycled pid, or another work directory's stack, is never mistaken for ours. */
    private static final String MARKER = "-Dmycroft.stack=";

    private ChildProcesses() {
    }

    /**
     * Starts {@code mainClass} in a new JVM (this JVM's java and class path) with stdout and stderr appended to
     * {@code logFile}. The child outlives this JVM.
     */
    static Process start(Path workDir, Component component, String classpath, List<String> jvmFlags, String mainClass,
                         List<String> args, Path logFile) {
        return start(workDir, component.id(), classpath, jvmFlags, mainClass, args, logFile);
    }

    /** {@link #start(Path, Component, String, List, String, List, Path)} for a child named {@code id} (e.g. {@code broker-2}). */
    static Process start(Path workDir, String id, String classpath, List<String> jvmFlags, String mainClass,
                         List<String> args, Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(marker(workDir, id));
        command.addAll(jvmFlags);
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // Through the environment rather than -cp: keeps `ps` readable and the command line short.
        builder.environment().put("CLASSPATH", classpath);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + id + " (" + mainClass + ")", e);
        }
    }

    /** The live process with this pid if it is the child {@code id} of the stack in {@code workDir}. */
    static Optional<ProcessHandle> find(long pid, Path workDir, String id) {
        String marker = marker(workDir, id);
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(marker)).orElse(false));
    }

    /**
     * SIGTERM to all at once, then SIGKILL to those still there after {@code timeout}. Returns the ones that had to be
     * killed.
     */
    static List<ProcessHandle> stop(List<ProcessHandle> processes, Duration timeout) {
        processes.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ProcessHandle> killed = new ArrayList<>();
        for (ProcessHandle process : processes) {
            if (!awaitExit(process, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                process.destroyForcibly();
                awaitExit(process, Duration.ofSeconds(10));
                killed.add(process);
            }
        }
        return killed;
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** {@code count} distinct ports free on {@link StackProperties#HOST} right now (held together so none repeats). */
    static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName(StackProperties.HOST));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + StackProperties.HOST, e);
        } finally {
            sockets.forEach(ChildProcesses::closeQuietly);
        }
    }

    /** Fails with a clear message if something else listens on {@code port}. */
    static void requireFree(int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(StackProperties.HOST), port));
        } catch (IOException e) {
            throw new StackException("port " + port + " (" + what + ") on " + StackProperties.HOST
                    + " is in use by another process. Stop that process (e.g. find it with `ss -ltnp | grep " + port
                    + "`), or run ./mycroft stack up --fresh to start over with new ports (this deletes the stack's data).");
        }
    }

    private static String marker(Path workDir, String id) {
        return MARKER + id + "@" + workDir.toAbsolutePath().normalize();
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // The port is released either way.
        }
    }
}
