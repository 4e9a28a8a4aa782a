import snmp, { type Session, type Varbind } from "net-snmp";
import type { Answer, Raw, RecordRow } from "../mapping";
import { rawText } from "../mapping";
import { FunctionError, errorText, secretOf, type Driver } from "./types";

/*
 * SNMP v2c: a GET of scalar OIDs (one row, index ""), or a walk (GETBULK) of table columns, one
 * row per index (the OID suffix after the column), optionally kept by a filter column's value.
 */

/** sysUpTime.0 (TimeTicks, hundredths of a second): read with every request that has a counter. */
export const SYS_UPTIME = "1.3.6.1.2.1.1.3.0";

/**
 * A varbind's value as a raw value: OctetString as text, Counter64 as an exact bigint (a sample's
 * value becomes a number; a counter's rate is taken from the exact reading), OIDs dotted.
 */
export function varbindValue(varbind: Varbind): Raw {
  const { type, value } = varbind;
  const T = snmp.ObjectType;
  if (type === T.Counter64) {
    if (Buffer.isBuffer(value)) {
      let n = 0n;
      for (const byte of value) n = (n << 8n) | BigInt(byte);
      return n;
    }
    return BigInt(value as number);
  }
  if (type === T.OctetString || type === T.Opaque || type === T.BitString) {
    if (Buffer.isBuffer(value)) return value.toString("utf8").replace(/\0+$/, "");
    return String(value);
  }
  if (type === T.Null) return null;
  if (type === T.Boolean) return Boolean(value);
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean")
    return value;
  if (typeof value === "bigint") return Number(value);
  if (Buffer.isBuffer(value)) return value.toString("hex");
  return String(value);
}

function compareOid(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

function promiseGet(session: Session, oids: string[]): Promise<Varbind[]> {
  return new Promise((resolve, reject) =>
    session.get(oids, (error, varbinds) => (error ? reject(error) : resolve(varbinds))),
  );
}

function promiseWalk(session: Session, column: string): Promise<Map<string, Raw>> {
  const cells = new Map<string, Raw>();
  const prefix = `${column}.`;
  return new Promise((resolve, reject) =>
    session.subtree(
      column,
      20,
      (varbinds) => {
        for (const varbind of varbinds) {
          if (snmp.isVarbindError(varbind)) continue;
          if (varbind.oid.startsWith(prefix))
            cells.set(varbind.oid.slice(prefix.length), varbindValue(varbind));
        }
      },
      (error) => (error ? reject(error) : resolve(cells)),
    ),
  );
}

export const snmpDriver: Driver = async ({ task, fn, timeoutMs, signal }) => {
  if (fn.request.protocol !== "snmp" || task.interface.protocol !== "snmp")
    throw new FunctionError("not an SNMP function");
  const request = fn.request;
  const iface = task.interface;
  const community = secretOf(task, iface.community) ?? "public";
  const port = task.port ?? iface.port;
  // The interface's timeout bounds the whole request; each attempt gets its share.
  const attemptMs = Math.max(100, Math.floor(timeoutMs / (iface.retries + 1)));
  const session = snmp.createSession(task.host, community, {
    port,
    version: snmp.Version2c,
    retries: iface.retries,
    timeout: attemptMs,
  });
  session.on("error", () => {});
  const aborted = new Promise<never>((_, reject) => {
    const fail = () =>
      reject(new FunctionError(`snmp ${task.host}:${port}: no answer within the timeout`));
    if (signal.aborted) fail();
    signal.addEventListener("abort", fail, { once: true });
  });
  aborted.catch(() => {});
  const where = `snmp ${task.host}:${port}`;
  try {
    // A counter's rate needs to know whether the device restarted between two readings.
    let uptime: number | null = null;
    if (fn.outputs.some((output) => output.counter !== undefined)) {
      const [varbind] = await Promise.race([promiseGet(session, [SYS_UPTIME]), aborted]);
      const ticks = varbind && !snmp.isVarbindError(varbind) ? varbindValue(varbind) : null;
      uptime = typeof ticks === "number" ? ticks / 100 : null;
    }
    if (request.operation === "get") {
      const varbinds = await Promise.race([promiseGet(session, request.oids), aborted]);
      const values: Record<string, Raw | undefined> = {};
      for (const varbind of varbinds) {
        // noSuchObject / noSuchInstance: left out, so the output says the OID is not in the answer.
        if (!snmp.isVarbindError(varbind)) values[varbind.oid] = varbindValue(varbind);
      }
      return { type: "record", rows: [{ index: "", values }], uptime } satisfies Answer;
    }
    const columns = [...request.columns];
    if (request.filter && !columns.includes(request.filter.column))
      columns.push(request.filter.column);
    const walked = new Map<string, Map<string, Raw>>();
    for (const column of columns)
      walked.set(column, await Promise.race([promiseWalk(session, column), aborted]));
    const indices = new Set<string>();
    for (const cells of walked.values()) for (const index of cells.keys()) indices.add(index);
    let rows: RecordRow[] = [...indices].sort(compareOid).map((index) => ({
      index,
      values: Object.fromEntries(columns.map((column) => [column, walked.get(column)!.get(index)])),
    }));
    if (request.filter) {
      const { column, equals } = request.filter;
      rows = rows.filter((row) => {
        const value = row.values[column];
        return value !== undefined && rawText(value) === equals;
      });
    }
    // A cell a row lacks stays a key without a value: absent (sparse tables are normal).
    return { type: "record", rows, uptime };
  } catch (error) {
    if (error instanceof FunctionError) throw error;
    throw new FunctionError(`${where}: ${errorText(error)}`);
  } finally {
    session.close();
  }
};
