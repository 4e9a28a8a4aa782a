import { expect, test } from "@playwright/test";
import { alarmsOf, pushReachable, seedRoom, unreachableFrom } from "./detect-seed";
import { rest } from "./seed";
import { readStack } from "./stack";

/*
 * `/api/live/alarms` over HTTP against the running stack: 401 without a credential; for a caller
 * the `ready` event, then the alarm a fired rule opened, the verdict it moved and the operator's
 * acknowledgement, as they commit. A caller scoped to another campus sees none of them.
 */

interface Frame {
  event: string;
  data: Record<string, unknown>;
}

/** Opens the stream as `token` and collects its frames until `stop`. */
async function openStream(token: string) {
  const { baseUrl } = readStack();
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/api/live/alarms`, {
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const frames: Frame[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) frames.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // Aborted by stop().
    }
  })();
  await expect.poll(() => frames.some((f) => f.event === "ready")).toBe(true);
  return { frames, stop: () => abort.abort() };
}

/** A service principal holding `role` on `location`, and a token of it. */
async function scopedToken(name: string, location: string): Promise<string> {
  const { id } = await rest<{ id: string }>("POST", "/principals", { kind: "service", name });
  await rest("POST", `/principals/${id}/grants`, {
    role: "operator",
    scope: { kind: "location", location },
  });
  return (await rest<{ token: string }>("POST", `/principals/${id}/tokens`, { name: "live" }))
    .token;
}

test("the live alarm stream refuses an anonymous caller", async () => {
  const response = await fetch(`${readStack().baseUrl}/api/live/alarms`);
  expect(response.status).toBe(401);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
});

test("a fired rule's alarm, its verdict and its acknowledgement reach the callers who may see them", async () => {
  const room = await seedRoom("live", ["display"]);
  const elsewhere = await seedRoom("live-other", []);
  const display = room.path("display");
  const owner = await openStream(readStack().owner.token);
  const outsider = await openStream(
    await scopedToken(`outsider-${elsewhere.site}`, elsewhere.site),
  );

  await pushReachable(display, unreachableFrom(Date.now() - 5 * 60_000));
  const [alarm] = await alarmsOf(display, "state=open");
  expect(alarm).toBeDefined();
  const ofAlarm = (kind: string) => (f: Frame) =>
    f.event === "alarm" && f.data.alarmId === alarm!.id && f.data.kind === kind;
  await expect.poll(() => owner.frames.some(ofAlarm("opened")), { timeout: 5_000 }).toBe(true);
  expect(owner.frames.find(ofAlarm("opened"))!.data).toMatchObject({
    owner: { kind: "component" },
    severity: "critical",
  });
  const component = owner.frames.find(ofAlarm("opened"))!.data.owner as { id: string };
  // The verdict the same commit moved: the display's own, then its room's and campus's.
  await expect
    .poll(
      () =>
        owner.frames.some(
          (f) =>
            f.event === "health" && f.data.ownerId === component.id && f.data.verdict === "outage",
        ),
      { timeout: 5_000 },
    )
    .toBe(true);

  await rest("POST", `/alarms/${alarm!.id}/acknowledge`, { comment: "on my way" });
  await expect
    .poll(() => owner.frames.some(ofAlarm("acknowledged")), { timeout: 5_000 })
    .toBe(true);

  // Another campus's operator: the stream is open and beating, and none of this reached it.
  expect(outsider.frames.filter((f) => f.data.alarmId === alarm!.id)).toEqual([]);
  expect(outsider.frames.filter((f) => f.data.ownerId === component.id)).toEqual([]);
  owner.stop();
  outsider.stop();
});
