/** Every subject the platform uses, versioned under `og.v1`. */
export const SUBJECTS = {
  /** A worker's heartbeat (presence lane). */
  workerPresence: (workerId: string) => `og.v1.presence.worker.${workerId}`,
  presenceAll: "og.v1.presence.>",
} as const;
