// Drives TwinCluster's HTTPS API with the official Azure Digital Twins SDK for JavaScript, unchanged except for the
// endpoint and a credential that hands out the silo's admin API token (ADT_TOKEN). Prints one JSON line per step; exits 1 on the first surprise.
// Environment: ADT_ENDPOINT (https://127.0.0.1:port), MODELS_DIR (the repository's models/dtdl folder), SDK_DIR.
import { createRequire } from "node:module";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const require = createRequire(join(process.env.SDK_DIR, "package.json"));
const { DigitalTwinsClient } = require("@azure/digital-twins-core");

const credential = { getToken: async () => ({ token: process.env.ADT_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }) };
const client = new DigitalTwinsClient(process.env.ADT_ENDPOINT, credential);
const step = (name, detail) => console.log(JSON.stringify({ step: name, ...detail }));
const fail = (message) => { console.log(JSON.stringify({ step: "failed", message })); process.exit(1); };
const expect = (condition, message) => { if (!condition) fail(message); };
// Twin and relationship calls answer { body, etag }; model calls answer the model data itself.
const body = (response) => response.body ?? response;
const collect = async (iterator) => { const all = []; for await (const item of iterator) all.push(item); return all; };

const turbineModel = {
  "@context": "dtmi:dtdl:context;2", "@id": "dtmi:com:contoso:Turbine;1", "@type": "Interface", displayName: "Wind Turbine",
  contents: [
    { "@type": "Property", name: "serialNumber", schema: "string" },
    { "@type": "Property", name: "operationalStatus", schema: { "@type": "Enum", valueSchema: "string",
      enumValues: [{ name: "offline", enumValue: "offline" }, { name: "standby", enumValue: "standby" }, { name: "active", enumValue: "active" }] } },
    { "@type": "Relationship", name: "contains" },
  ],
};

// 1. Models: the starter models and the DTDL v2 turbine, in one atomic upload.
const starter = readdirSync(process.env.MODELS_DIR).filter((f) => f.endsWith(".json"))
  .map((f) => JSON.parse(readFileSync(join(process.env.MODELS_DIR, f), "utf8")));
const created = await client.createModels([...starter, turbineModel]);
step("models-created", { count: created.length });
expect(created.length === starter.length + 1, `createModels returned ${created.length} models`);
const listed = await collect(client.listModels(undefined, false, 3));
expect(listed.length >= starter.length + 1, `listModels (pages of 3) returned ${listed.length}`);
const deps = await collect(client.listModels(["dtmi:twincluster:windfarm:Bearing;1"], true));
expect(deps.some((m) => m.id === "dtmi:twincluster:windfarm:Component;1") && deps.every((m) => m.model), "dependenciesFor lacks the base model");
const one = await client.getModel("dtmi:com:contoso:Turbine;1", true);
expect(one.model["@id"] === "dtmi:com:contoso:Turbine;1" && one.displayName.en === "Wind Turbine", "getModel returned " + JSON.stringify(one));
step("models-listed", { listed: listed.length, dependencies: deps.map((m) => m.id) });

// 2. A turbine and its component twins, with contains relationships, one by one.
const turbine = body(await client.upsertDigitalTwin("sdk-wt", JSON.stringify({
  $metadata: { $model: "dtmi:com:contoso:Turbine;1" }, serialNumber: "SN-001", operationalStatus: "active" })));
expect(turbine.$dtId === "sdk-wt" && turbine.$etag && turbine.$metadata.serialNumber.lastUpdateTime, "upsert returned " + JSON.stringify(turbine));
const parts = [
  ["sdk-wt-mb", "dtmi:twincluster:windfarm:MainBearing;1"],
  ["sdk-wt-gb", "dtmi:twincluster:windfarm:Gearbox;1"],
  ["sdk-wt-gen", "dtmi:twincluster:windfarm:Generator;1"],
];
for (const [id, model] of parts) {
  await client.upsertDigitalTwin(id, JSON.stringify({ $metadata: { $model: model } }));
  const rel = body(await client.upsertRelationship("sdk-wt", `sdk-wt-contains-${id}`, {
    $relationshipId: `sdk-wt-contains-${id}`, $sourceId: "sdk-wt", $relationshipName: "contains", $targetId: id }));
  expect(rel.$targetId === id && rel.$etag, "upsertRelationship returned " + JSON.stringify(rel));
}
step("twins-created", { turbine: "sdk-wt", parts: parts.length });

// 3. List and query.
const relationships = await collect(client.listRelationships("sdk-wt"));
expect(relationships.length === parts.length, `listRelationships returned ${relationships.length}`);
const incoming = await collect(client.listIncomingRelationships("sdk-wt-gb"));
expect(incoming.length === 1 && incoming[0].sourceId === "sdk-wt", "incoming " + JSON.stringify(incoming));
const joined = await collect(client.queryTwins(
  "SELECT t, c FROM DIGITALTWINS t JOIN c RELATED t.contains WHERE t.$dtId = 'sdk-wt' AND IS_OF_MODEL(c, 'dtmi:twincluster:windfarm:Component;1')", 2));
expect(joined.length === parts.length && joined.every((row) => row.t.$dtId === "sdk-wt"), "JOIN query returned " + JSON.stringify(joined));
const turbines = await collect(client.queryTwins("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:com:contoso:Turbine;1')"));
expect(turbines.length === 1 && turbines[0].serialNumber === "SN-001", "IS_OF_MODEL query returned " + JSON.stringify(turbines));
step("queried", { joined: joined.map((r) => r.c.$dtId).sort(), turbines: turbines.length });

// 4. Optimistic concurrency: a patch with the current ETag goes in, one with the old ETag gets 412.
const current = body(await client.getDigitalTwin("sdk-wt"));
await client.updateDigitalTwin("sdk-wt", [{ op: "replace", path: "/operationalStatus", value: "standby" }], { ifMatch: current.$etag });
try {
  await client.updateDigitalTwin("sdk-wt", [{ op: "replace", path: "/operationalStatus", value: "offline" }], { ifMatch: current.$etag });
  fail("a patch with a stale ETag was accepted");
} catch (e) {
  expect(e.statusCode === 412 && e.code === "PreconditionFailed", `stale patch raised ${e.statusCode} ${e.code}`);
  step("stale-etag", { statusCode: e.statusCode, code: e.code });
}
const after = body(await client.getDigitalTwin("sdk-wt"));
expect(after.operationalStatus === "standby", "the stale patch changed the twin: " + after.operationalStatus);

// 5. A missing twin.
try {
  await client.getDigitalTwin("sdk-no-such-twin");
  fail("a missing twin was returned");
} catch (e) {
  expect(e.statusCode === 404 && e.code === "DigitalTwinNotFound", `missing twin raised ${e.statusCode} ${e.code}`);
  step("missing-twin", { statusCode: e.statusCode, code: e.code });
}

// 6. Delete: relationships first, then the twins, then a model.
for (const [id] of parts) {
  await client.deleteRelationship("sdk-wt", `sdk-wt-contains-${id}`);
  await client.deleteDigitalTwin(id);
}
await client.deleteDigitalTwin("sdk-wt");
try { await client.getDigitalTwin("sdk-wt"); fail("a deleted twin was returned"); } catch (e) { expect(e.statusCode === 404, "deleted twin: " + e.statusCode); }
await client.decomissionModel("dtmi:com:contoso:Turbine;1");
expect((await client.getModel("dtmi:com:contoso:Turbine;1")).decommissioned === true, "decommission did not show");
await client.deleteModel("dtmi:com:contoso:Turbine;1");
step("deleted", { twins: parts.length + 1 });
step("done", {});
