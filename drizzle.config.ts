import { defineConfig } from "drizzle-kit";

// `pnpm db:generate` writes a new migration from the schema; committed migrations are never edited.
export default defineConfig({
  dialect: "postgresql",
  schema: "./packages/gateway/src/schema/index.ts",
  out: "./packages/gateway/migrations",
  strict: true,
  verbose: true,
});
