package io.mycroft.experiments.data;

import io.mycroft.inference.model.Dataset;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
  * Tabular samples as CSV: one header row naming the feature columns and then {@code label}, one row per sample with
  * the label as the class name. No quoting (names and values never hold a comma). {@code .gz} files are gzip'd.
  */
public final class CsvFiles {
    public static final String LABEL = "label";

    private CsvFiles() {}

    /** A CSV file of data set {@code id}: its samples as the pool, its header's feature names; no test split. */
    public static SourceData read(Path file, DatasetId id) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                file.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file),
                StandardCharsets.UTF_8))) {
            String header = in.readLine();
            if (header == null) {
                throw new IOException(file + ": empty file, expected a header row");
            }
            List<String> columns = Arrays.asList(header.split(",", -1));
            if (!columns.get(columns.size() - 1).equals(LABEL)) {
                throw new IOException(file + ": the last header column must be '" + LABEL + "', was " + columns);
            }
            List<String> featureNames = columns.subList(0, columns.size() - 1);
            List<float[]> rows = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isEmpty()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != columns.size()) {
                    throw new IOException(file + " line " + lineNo + ": " + cells.length + " cells, header has " + columns.size());
                }
                float[] row = new float[featureNames.size()];
                for (int j = 0; j < row.length; j++) {
                    try {
                        row[j] = Float.parseFloat(cells[j]);
                    } catch (NumberFormatException e) {
                        throw new IOException(file + " line " + lineNo + " column " + columns.get(j) + ": not a number: " + cells[j]);
                    }
                }
                int label = id.classNames().indexOf(cells[cells.length - 1]);
                if (label < 0) {
                    throw new IOException(file + " line " + lineNo + ": label '" + cells[cells.length - 1] + "' is not a class of "
                            + id.fileName());
                }
                rows.add(row);
                labels.add(label);
            }
            return new SourceData(id, featureNames, new Dataset(rows.toArray(float[][]::new),
                    labels.stream().mapToInt(Integer::intValue).toArray()), Optional.empty());
        }
    }

    /** Writes integral values without a decimal point (as the source files hold them), others as shortest float text. */
    public static void write(Path file, List<String> featureNames, List<String> classNames, float[][] rows, int[] labels)
            throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
                OutputStream os = file.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw;
                Writer out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(os, StandardCharsets.UTF_8))) {
            out.write(String.join(",", featureNames));
            out.write("," + LABEL + "\n");
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < rows.length; i++) {
                line.setLength(0);
                for (float v : rows[i]) {
                    line.append(format(v)).append(',');
                }
                line.append(classNames.get(labels[i])).append('\n');
                out.write(line.toString());
            }
        }
    }

    static String format(float v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return Float.toString(v);
    }
}
