export type LaneErrorHandler = (lane: string, error: unknown, stage: string) => void;
