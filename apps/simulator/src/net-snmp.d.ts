// The part of net-snmp (which ships no types) the simulated SNMP agents use.
declare module "net-snmp" {
  import type { Socket as DgramSocket } from "node:dgram";
  export interface MibRequest {
    instanceNode: { value: unknown };
    done(): void;
  }
  export interface TableColumn {
    number: number;
    name: string;
    type: number;
    maxAccess: number;
  }
  export interface ProviderDefinition {
    name: string;
    type: number;
    oid: string;
    maxAccess: number;
    scalarType?: number;
    tableColumns?: TableColumn[];
    tableIndex?: { columnName: string; foreign?: string }[];
    tableAugments?: string;
    handler?: (request: MibRequest) => void;
  }
  export interface Mib {
    registerProvider(definition: ProviderDefinition): void;
    setScalarValue(name: string, value: unknown): void;
    addTableRow(name: string, row: unknown[]): void;
    setTableSingleCell(name: string, column: number, index: number[], value: unknown): void;
  }
  export interface Agent {
    getAuthorizer(): { addCommunity(community: string): void };
    getMib(): Mib;
    close(callback?: () => void): void;
  }
  export interface AgentOptions {
    port: number;
    address: string;
    transport?: "udp4";
    disableAuthorization?: boolean;
    dgramModule?: { createSocket(type: "udp4"): DgramSocket };
  }
  /** The client side, for this app's tests. */
  export interface Session {
    get(oids: string[], callback: (error: Error | null, varbinds: Varbind[]) => void): void;
    subtree(
      oid: string,
      maxRepetitions: number,
      feed: (varbinds: Varbind[]) => boolean | void,
      done: (error: Error | null) => void,
    ): void;
    close(): void;
    on(event: "error", listener: (error: Error) => void): void;
  }
  export interface Varbind {
    oid: string;
    type: number;
    value: unknown;
  }
  const snmp: {
    createSession(
      target: string,
      community: string,
      options?: { port?: number; retries?: number; timeout?: number; version?: number },
    ): Session;
    Version2c: number;
    createAgent(options: AgentOptions, callback: (error: Error | null) => void, mib?: Mib): Agent;
    createMib(): Mib;
    ObjectType: Record<string, number>;
    MaxAccess: Record<string, number>;
    MibProviderType: { Scalar: number; Table: number };
  };
  export default snmp;
}
