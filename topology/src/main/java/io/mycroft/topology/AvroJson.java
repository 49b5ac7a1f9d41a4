package io.mycroft.topology;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.IndexedRecord;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain JSON trees of Avro records for the REST API: fields by name, timestamps as ISO-8601, bytes as base64. */
final class AvroJson {
    private AvroJson() {
    }

    static Object of(Object value) {
        if (value instanceof IndexedRecord record) {
            Map<String, Object> json = new LinkedHashMap<>();
            for (Schema.Field field : record.getSchema().getFields()) {
                json.put(field.name(), of(record.get(field.pos())));
            }
            return json;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(AvroJson::of).toList();
        }
        if (value instanceof ByteBuffer bytes) {
            return Base64.getEncoder().encodeToString(bytes.duplicate().array());
        }
        if (value instanceof Instant || value instanceof CharSequence || value instanceof GenericContainer) {
            return value.toString();
        }
        return value instanceof Enum<?> e ? e.name() : value;
    }
}
