package io.mycroft.stack;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The child processes of the local stack, in start order. */
public enum Component {
    BROKER("broker", "kafka.Kafka", 512),
    REGISTRY("registry", "io.mycroft.stack.registry.SchemaRegistryMain", 256),
    CONNECT("connect", "org.apache.kafka.connect.cli.ConnectDistributed", 512);

    private final String id;
    private final String mainClass;
    private final int heapMb;

    Component(String id, String mainClass, int heapMb) {
        this.id = id;
        this.mainClass = mainClass;
        this.heapMb = heapMb;
    }

    /** Lower-case name used on the command line and in file names ({@code logs/broker.log}, {@code broker.pid}). */
    public String id() {
        return id;
    }

    public String mainClass() {
        return mainClass;
    }

    public int heapMb() {
        return heapMb;
    }

    public static Component byId(String id) {
        return Arrays.stream(values())
                .filter(c -> c.id.equals(id))
                .findFirst()
                .orElseThrow(() -> new StackException("unknown component '" + id + "'; expected one of "
                        + Arrays.stream(values()).map(Component::id).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return id;
    }
}
