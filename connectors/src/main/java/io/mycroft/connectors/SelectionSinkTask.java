package io.mycroft.connectors;

import io.mycroft.schemas.Topic;
import io.mycroft.schemas.serde.WireFormatException;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * Writes every SubsetUpdate it receives as its owner's manifest. A value that is not a SubsetUpdate in the wire format
 * is handed to Connect's errant-record reporter (the connector's {@code errors.deadletterqueue.*}), or fails the task
 * when none is configured; registry outages are not the record's fault and fail the task instead.
 */
public final class SelectionSinkTask extends SinkTask {
    private Topic<String, SubsetUpdate> updates;
    private SelectionManifests manifests;
    private ErrantRecordReporter errors;

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        SelectionSinkConfig config = new SelectionSinkConfig(props);
        updates = config.topics().subsetUpdates();
        manifests = new SelectionManifests(config.manifestDirectory());
        errors = context.errantRecordReporter();
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        for (SinkRecord record : records) {
            try {
                if (record.value() == null) {
                    String[] key = String.valueOf(record.key()).split("\\|", 2);
                    if (key.length == 2) {
                        manifests.delete(key[1], key[0]); // key = requestId|ownerId
                    }
                    continue;
                }
                manifests.write(updates.valueSerde().deserializer().deserialize(record.topic(), (byte[]) record.value()));
            } catch (IOException e) {
                throw new RetriableException("cannot write a manifest under the manifest directory: " + e.getMessage(), e);
            } catch (WireFormatException | ClassCastException e) {
                if (errors == null) {
                    throw new ConnectException("undecodable SubsetUpdate at " + record.topic() + "-"
                            + record.kafkaPartition() + "@" + record.kafkaOffset() + "; configure errors.tolerance=all "
                            + "and errors.deadletterqueue.topic.name to set such records aside", e);
                }
                errors.report(record, e);
            }
        }
    }

    @Override
    public void stop() {
    }
}
