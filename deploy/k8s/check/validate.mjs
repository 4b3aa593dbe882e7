// Checks Kubernetes manifests against the schemas of the APIs they name (kubernetes-models, generated from the
// Kubernetes OpenAPI document and Strimzi's and Prometheus Operator's CRDs): each resource by its validator
// (types, enums, required fields), then all of them by the TypeScript compiler against the same models' types,
// which also refuses a field the schema does not know (a misspelt key would otherwise pass: CRD schemas allow
// unknown fields, and the API server prunes them silently).
//   node validate.mjs FILE.yaml...
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const modules = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "policy/v1": "kubernetes-models/policy/v1",
  "kafka.strimzi.io/v1": "@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1",
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
};

const failures = [];
const typed = [];
let count = 0;
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (document.errors.length > 0) {
      failures.push(`${file}: not YAML: ${document.errors[0].message}`);
      continue;
    }
    const resource = document.toJS();
    if (resource === null) continue;
    if (typeof resource !== "object" || Array.isArray(resource)) {
      failures.push(`${file}: a document that is no resource: ${JSON.stringify(resource).slice(0, 80)}`);
      continue;
    }
    const where = `${file}: ${resource.kind} ${resource.metadata?.name}`;
    const module = modules[resource.apiVersion];
    if (!module) {
      failures.push(`${where}: apiVersion ${resource.apiVersion} has no schema here`);
      continue;
    }
    const Model = (await import(`${module}/${resource.kind}`).catch(() => ({})))[resource.kind];
    if (!Model) {
      failures.push(`${where}: no kind ${resource.kind} in ${resource.apiVersion}`);
      continue;
    }
    try {
      new Model(resource).validate();
    } catch (error) {
      failures.push(`${where}: ${error.message}`);
    }
    typed.push({ module: `${module}/${resource.kind}`, kind: resource.kind, resource, where });
    count++;
  }
}

// Excess-property checks: one typed constant per resource.
const source = typed
  .map((t, i) => `import type { I${t.kind} as T${i} } from "${t.module}";\n// ${t.where}\nexport const r${i}: T${i} = ${JSON.stringify(t.resource, null, 2)};\n`)
  .join("\n");
// Beside node_modules, so the compiler resolves the models' packages.
const work = join(here, "work");
mkdirSync(work, { recursive: true });
writeFileSync(join(work, "resources.ts"), source);
try {
  execFileSync(
    join(here, "node_modules/.bin/tsc"),
    ["--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext",
     join(work, "resources.ts")],
    { cwd: here, stdio: "pipe" });
} catch (error) {
  const output = error.stdout.toString();
  // Name the resource of each error: the comment line above its constant.
  const lines = source.split("\n");
  for (const match of output.matchAll(/resources\.ts\((\d+),\d+\): error TS\d+: (.*)/g)) {
    let line = Number(match[1]) - 1;
    while (line > 0 && !lines[line].startsWith("// ")) line--;
    failures.push(`${lines[line].slice(3)}: ${match[2]}`);
  }
  if (!output.includes("error TS")) failures.push(`tsc failed: ${output || error.message}`);
}

if (failures.length > 0) {
  failures.forEach((f) => console.error(`k8s check: ${f}`));
  process.exit(1);
}
console.log(`k8s check: ${count} resources match their schemas`);
