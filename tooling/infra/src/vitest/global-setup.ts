/**
 * Starts the real infrastructure for the integration tier once per run: PostgreSQL (embedded, or the
 * server of DATABASE_URL) with a migrated template database, and a nats-server with JetStream — on
 * free ports, in a temporary directory, never touching the developer's .data/ or running instance.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createTemplateDatabase } from "@omniglass/gateway/testing";
import { startNatsServer } from "../nats";
import { startEmbeddedPostgres } from "../postgres";
import { freePort } from "../processes";
import type { TestInfra } from "@omniglass/testing";

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(tmpdir(), "omniglass-it-"));
  const external = process.env.DATABASE_URL;
  const postgres = external
    ? null
    : await startEmbeddedPostgres({
        dataDir: path.join(dir, "postgres"),
        port: await freePort(),
        // Throwaway clusters: fsync off for speed (npm start runs with it on).
        durable: false,
      });
  const serverUrl = external ?? postgres!.serverUrl;
  const templateName = `og_template_${process.pid}`;
  await createTemplateDatabase(serverUrl, templateName);
  const natsPort = await freePort();
  const natsMonitorPort = await freePort();
  const nats = await startNatsServer({
    dataDir: path.join(dir, "nats"),
    port: natsPort,
    monitorPort: natsMonitorPort,
  });

  const infra: TestInfra = {
    postgresServerUrl: serverUrl,
    templateDatabase: templateName,
    natsUrl: nats.url,
    natsPort,
    natsMonitorPort,
    natsPid: nats.process.child.pid ?? 0,
    tempDir: dir,
  };
  project.provide("infra", infra);

  return async () => {
    await nats.stop();
    await postgres?.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
