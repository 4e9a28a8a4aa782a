import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { testInfra } from "@omniglass/testing";
import {
  credentialPath,
  enroll,
  httpWorklistSource,
  loadCredential,
  WorklistAuthError,
} from "./credential";

const NODE = "0190f5a0-0000-7000-8000-00000000c0de";
const TOKEN = "og_enroll_0123456789";

describe("enrollment and the worklist over REST (against a local stand-in of the API)", () => {
  let server: Server;
  let url: string;
  let worklistStatus = 200;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        res.setHeader("content-type", "application/json");
        if (req.method === "POST" && req.url === "/api/v1/nodes/enroll") {
          const ok = (JSON.parse(body) as { token?: string }).token === TOKEN;
          res.statusCode = ok ? 200 : 401;
          res.end(
            JSON.stringify(
              ok
                ? { nodeId: NODE, name: "edge-1", token: "og_node_secret" }
                : { title: "bad token" },
            ),
          );
        } else if (req.url === "/api/v1/nodes/self/worklist") {
          const authorized = req.headers.authorization === "Bearer og_node_secret";
          res.statusCode = authorized ? worklistStatus : 401;
          res.end(JSON.stringify({ node: { id: NODE, name: "edge-1" }, etag: "e1", tasks: [] }));
        } else {
          res.statusCode = 404;
          res.end("{}");
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("enrolls once, keeps the credential with mode 0600, and reads the worklist with it", async () => {
    const stateDir = path.join(testInfra().tempDir, `node-enroll-${process.pid}`);
    expect(await loadCredential(stateDir)).toBeNull();
    await expect(
      enroll({ omniglassUrl: url, stateDir, token: "og_wrong_token_00" }),
    ).rejects.toThrow(/401/);
    const credential = await enroll({ omniglassUrl: url, stateDir, token: TOKEN });
    expect(credential).toEqual({ nodeId: NODE, name: "edge-1", token: "og_node_secret" });
    expect((await stat(credentialPath(stateDir))).mode & 0o777).toBe(0o600);
    expect(await loadCredential(stateDir)).toEqual(credential);

    const source = httpWorklistSource({ omniglassUrl: url, token: credential.token });
    expect(await source.fetch()).toMatchObject({ etag: "e1", tasks: [] });
    const revoked = httpWorklistSource({ omniglassUrl: url, token: "og_revoked" });
    await expect(revoked.fetch()).rejects.toThrow(WorklistAuthError);
    worklistStatus = 503;
    await expect(source.fetch()).rejects.toThrow(/503/);
    worklistStatus = 200;
  });
});
