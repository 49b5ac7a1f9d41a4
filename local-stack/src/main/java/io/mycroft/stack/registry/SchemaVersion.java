package io.mycroft.stack.registry;

/**
 * One version of a subject: the global schema {@code id} and the schema in Avro's canonical JSON
 * ({@code Schema.toString()}), which is also what makes two registrations "the same schema".
 * A soft-deleted version is {@code deleted}: hidden from listings, still readable by id and with {@code deleted=true}.
 */
record SchemaVersion(String subject, int version, int id, String schema, boolean deleted) {

    SchemaVersion softDeleted() {
        return new SchemaVersion(subject, version, id, schema, true);
    }
}
