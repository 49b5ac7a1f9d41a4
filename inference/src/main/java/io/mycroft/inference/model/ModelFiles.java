package io.mycroft.inference.model;

import io.mycroft.schemas.TrustedSchemas;
import mycroft.schemas.ModelArtifact;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.IOException;
import java.nio.file.Path;

/** A {@link ModelArtifact} kept on the model trainer's disk: one Avro data file holding the one record. */
public final class ModelFiles {
    private ModelFiles() {
    }

    public static void write(Path file, ModelArtifact artifact) throws IOException {
        try (DataFileWriter<ModelArtifact> out = new DataFileWriter<>(new SpecificDatumWriter<>(ModelArtifact.class))) {
            out.create(ModelArtifact.getClassSchema(), file.toFile());
            out.append(artifact);
        }
    }

    public static ModelArtifact read(Path file) throws IOException {
        TrustedSchemas.install();
        try (DataFileReader<ModelArtifact> in = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(ModelArtifact.class))) {
            if (!in.hasNext()) {
                throw new IOException(file + " holds no model artifact");
            }
            return in.next();
        }
    }
}
