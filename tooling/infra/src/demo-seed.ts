/**
 * The demo `npm start` writes into the embedded database: the estate, then its data plane (a node
 * polling simulated gear) and the node's one-time enrollment token. Each part is reported, never
 * fatal to the start; health is judged once afterwards by the caller, not after every write.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import {
  parseSecretKey,
  unsafeDeferHealth,
  unsafeDemoEnrollmentToken,
  unsafeSeedDemoEstate,
  unsafeWireDemoTelemetry,
  type Database,
  type SimulatedDevice,
} from "@omniglass/gateway";
import { describeError } from "@omniglass/log";

export async function seedDemo(
  db: Database,
  {
    owner,
    basePort,
    secretKey,
    nodeStateDir,
    say,
  }: {
    owner: string;
    basePort: number;
    secretKey: string;
    nodeStateDir: string;
    say: (line: string) => void;
  },
): Promise<{ fleet: SimulatedDevice[]; enrollmentToken: string | null }> {
  let fleet: SimulatedDevice[] = [];
  let enrollmentToken: string | null = null;
  // The embedded database only, and only while it holds no location (a second start, or an
  // estate someone built by hand, is left alone).
  // A failure here (say, the owner was removed) is reported, never fatal to the start.
  // Health is judged once by the caller afterwards, not after each of its hundreds of writes.
  await unsafeDeferHealth(() => unsafeSeedDemoEstate(db, { owner })).then(
    (estate) =>
      say(
        estate.seeded
          ? `demo estate written: ${estate.locations} locations, ${estate.systems} systems, ${estate.components} components (audited as ${owner})`
          : `demo estate: skipped, the database already has ${estate.locations} locations`,
      ),
    (error: unknown) => say(`demo estate: not written: ${describeError(error)}`),
  );
  // The demo's data plane: a node polling simulated gear. Also never fatal to the start.
  try {
    const telemetry = await unsafeDeferHealth(() =>
      unsafeWireDemoTelemetry(db, {
        owner,
        basePort,
        secretKey: parseSecretKey(secretKey),
      }),
    );
    if (telemetry) {
      fleet = telemetry.fleet;
      if (telemetry.wired)
        say(`demo telemetry: node ${telemetry.node.name} polls ${fleet.length} simulated devices`);
      if (!existsSync(path.join(nodeStateDir, "credential.json")))
        enrollmentToken = await unsafeDemoEnrollmentToken(db, {
          owner,
        });
    }
  } catch (error) {
    say(`demo telemetry: not wired: ${describeError(error)}`);
  }
  return { fleet, enrollmentToken };
}
