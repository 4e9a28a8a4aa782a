import dgram from "node:dgram";
import snmp, { type Agent, type Mib, type ProviderDefinition } from "net-snmp";

/*
 * A simulated device's SNMP v2c agent (net-snmp's Agent): a MIB of scalars and tables the device
 * keeps current, served on UDP at the device's host and port for one read community. A request
 * with another community gets no answer, as a real agent gives none.
 */

const T = snmp.ObjectType;
const A = snmp.MaxAccess;
const READ_ONLY = A["read-only"]!;
const NOT_ACCESSIBLE = A["not-accessible"]!;

export type ColumnType = "integer" | "counter32" | "counter64" | "string" | "oid" | "gauge";

const TYPES: Record<ColumnType, number> = {
  integer: T.Integer!,
  counter32: T.Counter!,
  counter64: T.Counter64!,
  string: T.OctetString!,
  oid: T.OID!,
  gauge: T.Gauge!,
};

/** A Counter64's value as net-snmp encodes it: eight bytes, big-endian, wrapped at 2^64. */
export function counter64(value: bigint): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(BigInt.asUintN(64, value));
  return buffer;
}

/** A Counter32's value, wrapped at 2^32. */
export function counter32(value: number): number {
  return Math.floor(value) % 2 ** 32;
}

/** A MIB to fill: scalars by OID (the `.0` instance is implied), tables by entry OID. */
export class SimMib {
  readonly mib: Mib = snmp.createMib();

  scalar(name: string, oid: string, type: ColumnType | "timeticks", read?: () => unknown): void {
    const definition: ProviderDefinition = {
      name,
      type: snmp.MibProviderType.Scalar,
      oid,
      scalarType: type === "timeticks" ? T.TimeTicks! : TYPES[type],
      maxAccess: READ_ONLY,
    };
    // A value computed when asked (sysUpTime counts on between the device's refreshes).
    if (read)
      definition.handler = (request) => {
        request.instanceNode.value = read();
        request.done();
      };
    this.mib.registerProvider(definition);
    // The instance exists once set; the handler then keeps it current.
    if (read) this.mib.setScalarValue(name, read());
  }

  set(name: string, value: unknown): void {
    this.mib.setScalarValue(name, value);
  }

  /**
   * A table at `entryOid`: `index` names the index columns (own columns, or `foreign` ones
   * another table defines, given first in each row), `augments` another table's rows.
   */
  table(
    name: string,
    entryOid: string,
    columns: { number: number; name: string; type: ColumnType; hidden?: boolean }[],
    index: { index: { columnName: string; foreign?: string }[] } | { augments: string },
  ): void {
    this.mib.registerProvider({
      name,
      type: snmp.MibProviderType.Table,
      oid: entryOid,
      maxAccess: NOT_ACCESSIBLE,
      tableColumns: columns.map((column) => ({
        number: column.number,
        name: column.name,
        type: TYPES[column.type],
        maxAccess: column.hidden ? NOT_ACCESSIBLE : READ_ONLY,
      })),
      ...("augments" in index ? { tableAugments: index.augments } : { tableIndex: index.index }),
    });
  }

  row(name: string, values: unknown[]): void {
    this.mib.addTableRow(name, values);
  }

  cell(name: string, column: number, index: number[], value: unknown): void {
    this.mib.setTableSingleCell(name, column, index, value);
  }
}

/** The agent listening on UDP `host:port`; resolves once bound, rejects naming the address. */
export async function listenSnmp(
  mib: SimMib,
  { host, port, community }: { host: string; port: number; community: string },
): Promise<{ close(): Promise<void> }> {
  let socket: dgram.Socket | null = null;
  const dgramModule = {
    createSocket: (type: "udp4") => (socket = dgram.createSocket(type)),
  };
  let failure: Error | null = null;
  const agent: Agent = snmp.createAgent(
    { port, address: host, transport: "udp4", dgramModule },
    (error) => {
      // Bad packets and unknown communities are the peer's problem, not the device's.
      if (error && (error as NodeJS.ErrnoException).code) failure ??= error;
    },
    mib.mib,
  );
  agent.getAuthorizer().addCommunity(community);
  const bound = socket as dgram.Socket | null;
  if (!bound) throw new Error("net-snmp did not open a socket");
  await new Promise<void>((resolve, reject) => {
    if (failure) return reject(failure);
    bound.once("listening", () => resolve());
    bound.once("error", (error) =>
      reject(new Error(`cannot listen for SNMP on udp ${host}:${port}: ${error.message}`)),
    );
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        try {
          agent.close(() => resolve());
        } catch {
          resolve();
        }
      }),
  };
}
