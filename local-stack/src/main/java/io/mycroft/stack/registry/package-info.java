/**
 * The local stack's schema registry: the Confluent Schema Registry REST API that serializers and tools use, for AVRO
 * schemas, stored in a compacted Kafka topic as Confluent's registry stores it.
 *
 * <ul>
 *   <li>{@link io.mycroft.stack.registry.SchemaRegistryServer}: HTTP routes (Javalin) and lifecycle; the Java API the
 *       launcher and tests use ({@code start()}, {@code port()}, {@code close()}).</li>
 *   <li>{@link io.mycroft.stack.registry.SchemaRegistryMain}: the same as a process
 *       ({@code --bootstrap-servers HOST:PORT --port N [--topic _schemas] [--host 127.0.0.1]}).</li>
 *   <li>{@code RegistryService}: Confluent's rules (ids, versions, compatibility, two-step deletes, error codes);
 *       {@code RegistryState}: the data, folded from {@code RegistryEvent}s; {@code SchemasTopic}: the topic and its
 *       JSON record format; {@code CompatibilityLevel}: the seven levels over Avro's {@code SchemaCompatibility}.</li>
 * </ul>
 *
 * Not implemented (no client of this project uses them): PROTOBUF and JSON schema types, schema references, modes
 * (READONLY/IMPORT), contexts, {@code normalize}, {@code DELETE /config}, leader election between several instances.
 */
package io.mycroft.stack.registry;
