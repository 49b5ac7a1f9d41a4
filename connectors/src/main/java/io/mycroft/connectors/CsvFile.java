package io.mycroft.connectors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A CSV file with a header line, read line by line from a byte offset. Only lines ended by a newline are read, so a row
 * being appended is picked up once complete. The label column holds an integer; every other column is a finite number
 * and becomes one feature, in header order. Positions are 1-based line numbers (the header is line 1).
 */
final class CsvFile implements SampleFile {
    static final String BYTE = "byte";
    static final String LINE = "line";
    private static final int FIRST_CHUNK = 1 << 20;

    private final Path path;
    private final String labelColumn;
    private long byteOffset;
    private long nextLine;
    private String[] header;
    private int labelIndex = -1;

    /** {@code offset} as committed by an earlier task, or null to start at the header. */
    CsvFile(Path path, String labelColumn, Map<String, Object> offset) {
        this.path = path;
        this.labelColumn = labelColumn;
        this.byteOffset = offset == null ? 0 : ((Number) offset.get(BYTE)).longValue();
        this.nextLine = offset == null ? 1 : ((Number) offset.get(LINE)).longValue();
    }

    @Override
    public String system() {
        return "csv";
    }

    @Override
    public boolean finished() {
        return false;
    }

    @Override
    public List<SourceItem> read(int max) throws IOException {
        List<SourceItem> items = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            if (header == null && !readHeader(channel)) {
                return items;
            }
            int chunk = FIRST_CHUNK;
            while (items.isEmpty()) {
                long available = channel.size() - byteOffset;
                if (available <= 0) {
                    return items;
                }
                byte[] bytes = readAt(channel, byteOffset, (int) Math.min(available, chunk));
                int start = 0;
                for (int i = 0; i < bytes.length && items.size() < max; i++) {
                    if (bytes[i] == '\n') {
                        byte[] line = Arrays.copyOfRange(bytes, start, i > start && bytes[i - 1] == '\r' ? i - 1 : i);
                        byteOffset += i + 1 - start;
                        long position = nextLine++;
                        start = i + 1;
                        if (line.length > 0) {
                            items.add(parse(line, position));
                        }
                    }
                }
                if (start == 0) {
                    if (available <= chunk) {
                        return items; // the last line is not complete yet
                    }
                    chunk *= 2; // a line longer than the chunk: read more
                } else if (items.isEmpty()) {
                    return items; // only blank lines
                }
            }
        }
        return items;
    }

    /** Reads line 1; false while it is incomplete. Positions the offset after it when starting from scratch. */
    private boolean readHeader(FileChannel channel) throws IOException {
        int chunk = FIRST_CHUNK;
        byte[] head = readAt(channel, 0, (int) Math.min(channel.size(), chunk));
        int end = indexOf(head, (byte) '\n');
        while (end < 0) {
            if (head.length < chunk) {
                return false;
            }
            chunk *= 2;
            head = readAt(channel, 0, (int) Math.min(channel.size(), chunk));
            end = indexOf(head, (byte) '\n');
        }
        String text = new String(head, 0, end, StandardCharsets.UTF_8).strip();
        header = Arrays.stream(text.split(",", -1)).map(String::strip).toArray(String[]::new);
        labelIndex = Arrays.asList(header).indexOf(labelColumn);
        if (byteOffset == 0) {
            byteOffset = end + 1;
            nextLine = 2;
        }
        return true;
    }

    private SourceItem parse(byte[] line, long position) {
        Map<String, Object> offset = Map.of(BYTE, byteOffset, LINE, nextLine);
        if (labelIndex < 0) {
            return new SourceItem.Rejected(position, offset, "the header has no label column '" + labelColumn
                    + "' (columns: " + String.join(",", header) + "); set csv.label.column", line);
        }
        String[] cells = new String(line, StandardCharsets.UTF_8).split(",", -1);
        if (cells.length != header.length) {
            return new SourceItem.Rejected(position, offset, "the row has " + cells.length + " fields, the header "
                    + header.length, line);
        }
        int label;
        try {
            label = Integer.parseInt(cells[labelIndex].strip());
        } catch (NumberFormatException e) {
            return new SourceItem.Rejected(position, offset, "label '" + cells[labelIndex] + "' in column '" + labelColumn
                    + "' is not an integer", line);
        }
        float[] features = new float[cells.length - 1];
        for (int c = 0, f = 0; c < cells.length; c++) {
            if (c == labelIndex) {
                continue;
            }
            float value;
            try {
                value = Float.parseFloat(cells[c].strip());
            } catch (NumberFormatException e) {
                value = Float.NaN;
            }
            if (!Float.isFinite(value)) {
                return new SourceItem.Rejected(position, offset, "value '" + cells[c] + "' in column '" + header[c]
                        + "' is not a finite number", line);
            }
            features[f++] = value;
        }
        return new SourceItem.Sample(position, offset, label, features, null, null);
    }

    private static byte[] readAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        int read = 0;
        while (buffer.hasRemaining() && read >= 0) {
            read = channel.read(buffer, position + buffer.position());
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
