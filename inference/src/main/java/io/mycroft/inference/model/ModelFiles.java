package io.mycroft.inference.model;

import io.mycroft.schemas.TrustedSchemas;
import mycroft.schemas.ModelArtifact;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * A {@link ModelArtifact} kept on the model trainer's disk: one Avro data file holding the one record. The model
 * trainer's commands also take a TorchScript file; {@link #kind} tells the two apart by their first bytes.
 */
public final class ModelFiles {
    /** What a model file is: an artifact file as {@link #write} writes it, or a TorchScript module (a zip archive). */
    public enum Kind { ARTIFACT, TORCHSCRIPT }

    private static final byte[] AVRO_MAGIC = {'O', 'b', 'j', 1};
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private ModelFiles() {
    }

    public static void write(Path file, ModelArtifact artifact) throws IOException {
        try (DataFileWriter<ModelArtifact> out = new DataFileWriter<>(new SpecificDatumWriter<>(ModelArtifact.class))) {
            out.create(ModelArtifact.getClassSchema(), file.toFile());
            out.append(artifact);
        }
    }

    /** The kind of {@code file}, by its magic number (not its name); empty if it is neither. */
    public static Optional<Kind> kind(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        if (Arrays.equals(head, AVRO_MAGIC)) {
            return Optional.of(Kind.ARTIFACT);
        }
        return Arrays.equals(head, ZIP_MAGIC) ? Optional.of(Kind.TORCHSCRIPT) : Optional.empty();
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
