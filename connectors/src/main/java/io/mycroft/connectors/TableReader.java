package io.mycroft.connectors;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Reads an owner's table in offset order, a batch per query: rows after the last (id) or (timestamp, id) returned.
 * Each row is validated: an integer label and finite numeric features, else a rejection with the row as text.
 */
final class TableReader {
    static final String ID = "id";
    static final String SECONDS = "ts.seconds";
    static final String NANOS = "ts.nanos";
    private static final Set<Integer> NUMERIC = Set.of(Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT,
            Types.REAL, Types.FLOAT, Types.DOUBLE, Types.NUMERIC, Types.DECIMAL);

    private final String table;
    private final String idColumn;
    private final String timestampColumn;
    private final String labelColumn;
    private final int batchSize;
    private List<String> featureColumns;
    private long lastId;
    /** Null until the first row in timestamp mode. */
    private Instant lastTimestamp;

    /** {@code timestampColumn} null for incrementing mode; {@code featureColumns} empty to take every numeric one. */
    TableReader(String table, String idColumn, String timestampColumn, String labelColumn, List<String> featureColumns,
                int batchSize, Map<String, Object> offset) {
        this.table = table;
        this.idColumn = idColumn;
        this.timestampColumn = timestampColumn;
        this.labelColumn = labelColumn;
        this.featureColumns = featureColumns;
        this.batchSize = batchSize;
        this.lastId = offset == null ? Long.MIN_VALUE : ((Number) offset.get(ID)).longValue();
        this.lastTimestamp = offset == null || timestampColumn == null ? null
                : Instant.ofEpochSecond(((Number) offset.get(SECONDS)).longValue(), ((Number) offset.get(NANOS)).longValue());
    }

    List<SourceItem> read(Connection connection) throws SQLException {
        if (featureColumns.isEmpty()) {
            featureColumns = numericColumns(connection);
        }
        List<SourceItem> items = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(sql())) {
            query.setMaxRows(batchSize);
            if (timestampColumn == null) {
                query.setLong(1, lastId);
            } else if (lastTimestamp != null) {
                Timestamp ts = Timestamp.from(lastTimestamp);
                query.setTimestamp(1, ts);
                query.setTimestamp(2, ts);
                query.setLong(3, lastId);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    items.add(item(rows));
                }
            }
        }
        return items;
    }

    private String sql() {
        String columns = String.join(", ", featureColumns) + ", " + labelColumn + ", " + idColumn
                + (timestampColumn == null ? "" : ", " + timestampColumn);
        String select = "SELECT " + columns + " FROM " + table;
        if (timestampColumn == null) {
            return select + " WHERE " + idColumn + " > ? ORDER BY " + idColumn;
        }
        // No lower bound before the first row: any timestamp literal would exclude someone's older rows.
        return select + (lastTimestamp == null ? "" : " WHERE " + timestampColumn + " > ? OR (" + timestampColumn
                + " = ? AND " + idColumn + " > ?)") + " ORDER BY " + timestampColumn + ", " + idColumn;
    }

    private SourceItem item(ResultSet row) throws SQLException {
        lastId = row.getLong(idColumn);
        Map<String, Object> offset;
        if (timestampColumn == null) {
            offset = Map.of(ID, lastId);
        } else {
            lastTimestamp = row.getTimestamp(timestampColumn).toInstant();
            offset = Map.of(ID, lastId, SECONDS, lastTimestamp.getEpochSecond(), NANOS, (long) lastTimestamp.getNano());
        }
        Object label = row.getObject(labelColumn);
        if (!(label instanceof Number number) || number.doubleValue() != number.intValue()) {
            return new SourceItem.Rejected(lastId, offset, "label " + label + " in column '" + labelColumn
                    + "' is not an integer", text(row));
        }
        float[] features = new float[featureColumns.size()];
        for (int f = 0; f < features.length; f++) {
            double value = row.getDouble(featureColumns.get(f));
            if (row.wasNull() || !Double.isFinite(value)) {
                return new SourceItem.Rejected(lastId, offset, "column '" + featureColumns.get(f) + "' is "
                        + (row.wasNull() ? "NULL" : value) + ", not a finite number", text(row));
            }
            features[f] = (float) value;
        }
        return new SourceItem.Sample(lastId, offset, number.intValue(), features, null, null);
    }

    /** Every numeric column but the id, timestamp and label, in table order. */
    private List<String> numericColumns(Connection connection) throws SQLException {
        List<String> numeric = new ArrayList<>();
        try (PreparedStatement probe = connection.prepareStatement("SELECT * FROM " + table + " WHERE 1 = 0");
             ResultSet empty = probe.executeQuery()) {
            ResultSetMetaData meta = empty.getMetaData();
            for (int c = 1; c <= meta.getColumnCount(); c++) {
                String name = meta.getColumnName(c);
                if (NUMERIC.contains(meta.getColumnType(c)) && !name.equalsIgnoreCase(idColumn)
                        && !name.equalsIgnoreCase(labelColumn)) {
                    numeric.add(name);
                }
            }
        }
        if (numeric.isEmpty()) {
            throw new SQLException("table " + table + " has no numeric feature column besides " + idColumn + " and "
                    + labelColumn);
        }
        return numeric;
    }

    /** The row as {@code column=value,...}: the original bytes of a dead letter. */
    private static byte[] text(ResultSet row) throws SQLException {
        ResultSetMetaData meta = row.getMetaData();
        StringJoiner text = new StringJoiner(",");
        for (int c = 1; c <= meta.getColumnCount(); c++) {
            text.add(meta.getColumnName(c) + "=" + row.getString(c));
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
