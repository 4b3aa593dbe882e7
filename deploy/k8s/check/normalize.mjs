// Prints YAML documents with every mapping's keys sorted, so two renderings of the same resources compare equal
// line for line (quarkus-kubernetes does not keep one order of labels from build to build).
//   node normalize.mjs FILE.yaml
import { readFileSync } from "node:fs";
import { parseAllDocuments, stringify } from "yaml";

const sorted = (value) =>
  Array.isArray(value)
    ? value.map(sorted)
    : value !== null && typeof value === "object"
      ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted(value[key])]))
      : value;

for (const document of parseAllDocuments(readFileSync(process.argv[2], "utf8"))) {
  const resource = document.toJS();
  if (resource !== null) process.stdout.write(`---\n${stringify(sorted(resource))}`);
}
