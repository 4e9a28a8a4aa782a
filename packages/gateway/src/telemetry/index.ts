// The data plane's writers and the clock (issue #5): ingest, partitions, freshness.
export {};
