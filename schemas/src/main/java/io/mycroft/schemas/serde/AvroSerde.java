package io.mycroft.schemas.serde;

import io.mycroft.schemas.TrustedSchemas;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serde of a generated Avro record in the Confluent wire format: magic byte 0, the writer schema's 4-byte big-endian
 * registry id, then the Avro binary body. Subjects follow TopicNameStrategy ({@code <topic>-value}, {@code <topic>-key}).
 * Ids and writer schemas are cached, so the registry is asked once per (subject, schema) and once per id.
 *
 * <p>Configured either by constructor or by Kafka's {@code configure(map, isKey)} with {@value SerdeConfig#REGISTRY_URL}
 * and {@value SerdeConfig#AUTO_REGISTER} (default true; false only looks schemas up, for registries where
 * producers may not register).
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {
    private static final byte MAGIC_BYTE = 0;

    static {
        TrustedSchemas.install();
    }
    private static final int HEADER_BYTES = 5;

    private final Class<T> type;
    private final Schema readerSchema;
    private final SpecificDatumWriter<T> writer;
    private final Map<String, Integer> idBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, DatumReader<T>> readerById = new ConcurrentHashMap<>();
    private SchemaRegistry registry;
    private boolean autoRegister = true;
    private boolean isKey;

    /** A serde to be configured by Kafka through {@link #configure(Map, boolean)}. */
    public AvroSerde(Class<T> type) {
        this.type = type;
        this.readerSchema = SpecificData.getForClass(type).getSchema(type);
        this.writer = new SpecificDatumWriter<>(readerSchema);
    }

    /** A ready value serde. */
    public AvroSerde(Class<T> type, SchemaRegistry registry, boolean autoRegister) {
        this(type);
        this.registry = registry;
        this.autoRegister = autoRegister;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = SerdeConfig.from(configs);
        this.registry = config.registry();
        this.autoRegister = config.autoRegister();
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        int id = idBySubject.computeIfAbsent(subject(topic), subject ->
                autoRegister ? registry().register(subject, readerSchema) : registry().lookup(subject, readerSchema));
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        // Buffered: the direct encoder writes the body to the (synchronized) stream a byte or a field at a time.
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write " + type.getSimpleName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < HEADER_BYTES) {
            throw new WireFormatException(WireFormatException.Reason.TRUNCATED, bytes.length
                    + " bytes on " + topic + "; the Confluent wire format needs at least 5 (magic byte 0 + 4-byte schema id)");
        }
        if (bytes[0] != MAGIC_BYTE) {
            throw new WireFormatException(WireFormatException.Reason.BAD_MAGIC, String.format(
                    "first byte on %s is 0x%02x, expected the magic byte 0x00 of the Confluent wire format", topic, bytes[0]));
        }
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        DatumReader<T> reader = readerById.computeIfAbsent(id, this::readerFor);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, null);
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (java.io.EOFException e) {
            throw new WireFormatException(WireFormatException.Reason.TRUNCATED,
                    "Avro body of schema id " + id + " on " + topic + " ends early", e);
        } catch (IOException | RuntimeException e) {
            // Reading touches nothing but the bytes: whatever it throws (a bad union index, a collection "larger than
            // 2147483639 items", a negative length) says the body is corrupt.
            throw new WireFormatException(WireFormatException.Reason.CORRUPT_BODY,
                    "Avro body of schema id " + id + " on " + topic + " does not decode as " + type.getSimpleName()
                            + ": " + e.getMessage(), e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new WireFormatException(WireFormatException.Reason.CORRUPT_BODY, "trailing bytes after the "
                        + type.getSimpleName() + " of schema id " + id + " on " + topic);
            }
        } catch (IOException e) {
            throw new WireFormatException(WireFormatException.Reason.CORRUPT_BODY, e.getMessage(), e);
        }
        return record;
    }

    /** Reads records written with schema {@code id} into {@code T}, by Avro schema resolution; refuses what cannot resolve. */
    private DatumReader<T> readerFor(int id) {
        Schema writerSchema;
        try {
            writerSchema = registry().schemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND) {
                throw new WireFormatException(WireFormatException.Reason.UNKNOWN_SCHEMA_ID,
                        "schema id " + id + " is not in the registry", e);
            }
            throw e;
        }
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new WireFormatException(WireFormatException.Reason.SCHEMA_MISMATCH, "schema id " + id + " ("
                    + writerSchema.getFullName() + ") cannot be read as " + readerSchema.getFullName() + ": "
                    + compatibility.getResult().getIncompatibilities());
        }
        return new SpecificDatumReader<>(writerSchema, readerSchema, SpecificData.getForClass(type));
    }

    private String subject(String topic) {
        return topic + (isKey ? "-key" : "-value");
    }

    private SchemaRegistry registry() {
        if (registry == null) {
            throw new IllegalStateException("AvroSerde<" + type.getSimpleName() + "> is not configured: set "
                    + SerdeConfig.REGISTRY_URL);
        }
        return registry;
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void close() {
    }
}
