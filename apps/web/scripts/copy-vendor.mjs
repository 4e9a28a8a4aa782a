// Copies the API reference renderer into public/ so /api/docs works with no CDN (and offline).
import { copyFileSync, mkdirSync, realpathSync } from "node:fs";
import path from "node:path";

// The package does not export its browser bundle, so it is read through this app's node_modules link.
const pkg = realpathSync("node_modules/@scalar/api-reference");
mkdirSync("public/vendor", { recursive: true });
copyFileSync(path.join(pkg, "dist/browser/standalone.js"), "public/vendor/scalar-api-reference.js");
