'use strict';
// Drives the third-party client @kafkajs/confluent-schema-registry against a registry; RegistryConformanceIT runs it.
// Records travel in Avro's JSON encoding (the Avro spec's, which Java's JsonEncoder also writes), so neither side
// has to know the other's object model. Each command prints one line on stdout:
//   node conformance.js register URL SUBJECT SCHEMA_FILE  -> {"id","lookupId","latestId"} or {"error","status"}
//   node conformance.js encode URL ID < AVRO_JSON         -> the record in Confluent wire format, as hex
//   node conformance.js decode URL HEX                    -> the decoded record, in Avro's JSON encoding
const fs = require('fs');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

const [command, url, ...args] = process.argv.slice(2);
// No retries: an error from the registry is the answer we want to see, not something to wait out.
const registry = new SchemaRegistry({ host: url, retry: { retries: 0 } });

async function register(subject, schemaFile) {
  const schema = { type: SchemaType.AVRO, schema: fs.readFileSync(schemaFile, 'utf8') };
  try {
    const { id } = await registry.register(schema, { subject });
    const lookupId = await registry.getRegistryIdBySchema(subject, schema);
    const latestId = await registry.getLatestSchemaId(subject);
    return JSON.stringify({ id, lookupId, latestId });
  } catch (error) {
    return JSON.stringify({ error: error.message, status: error.status });
  }
}

async function encode(id, avroJson) {
  const type = await registry.getSchema(id);
  const bytes = await registry.encode(id, type.fromString(avroJson));
  return bytes.toString('hex');
}

async function decode(hex) {
  const bytes = Buffer.from(hex, 'hex');
  const type = await registry.getSchema(bytes.readInt32BE(1));
  return type.toString(await registry.decode(bytes));
}

async function main() {
  switch (command) {
    case 'register': return register(args[0], args[1]);
    case 'encode': return encode(Number(args[0]), fs.readFileSync(0, 'utf8'));
    case 'decode': return decode(args[0]);
    default: throw new Error(`Unknown command '${command}': use register, encode or decode`);
  }
}

main().then(
  line => console.log(line),
  error => { console.error(error.stack || error); process.exit(1); });
