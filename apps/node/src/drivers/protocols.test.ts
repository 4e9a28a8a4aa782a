import { describe, expect, it } from "vitest";
import { parsePing } from "./icmp";
import {
  parsePjlinkAnswer,
  parsePjlinkGreeting,
  pjlinkCommand,
  pjlinkDigest,
  takeLine,
} from "./pjlink";
import { encodeQrc, parseQrcMessage, takeQrcMessage } from "./qrc";
import { matchGroups, takeUntilPrompt } from "./text";

describe("PJLink framing", () => {
  it("reads greetings", () => {
    expect(parsePjlinkGreeting("PJLINK 0")).toEqual({ auth: false });
    expect(parsePjlinkGreeting("PJLINK 1 498e4a67")).toEqual({ auth: true, random: "498e4a67" });
    expect(parsePjlinkGreeting("PJLINK ERRA")).toMatchObject({
      error: expect.stringContaining("ERRA"),
    });
    expect(parsePjlinkGreeting("HELLO")).toMatchObject({ error: 'not a PJLink greeting: "HELLO"' });
  });

  it("computes the standard's digest example", () => {
    // JBMIA PJLink spec example: random 498e4a67, password JBMIAProjectorLink.
    expect(pjlinkDigest("498e4a67", "JBMIAProjectorLink")).toBe("5d8409bc1c3fa39749434aa3a5c38682");
    expect(pjlinkCommand("POWR", "?")).toBe("%1POWR ?\r");
  });

  it("splits CR-terminated lines", () => {
    expect(takeLine("%1POWR=1\r%1IN")).toEqual({ value: "%1POWR=1", used: 9 });
    expect(takeLine("a\r\nb")).toEqual({ value: "a", used: 3 });
    expect(takeLine("partial")).toBeNull();
  });

  it("reads answers, errors and malformed lines", () => {
    expect(parsePjlinkAnswer("%1POWR=1", "POWR")).toEqual({ ok: true, value: "1" });
    expect(parsePjlinkAnswer("%1LAMP=1234 1", "LAMP")).toEqual({ ok: true, value: "1234 1" });
    expect(parsePjlinkAnswer("%1INPT=ERR3", "INPT")).toEqual({
      ok: false,
      kind: "error",
      detail: "INPT: unavailable time (ERR3)",
    });
    expect(parsePjlinkAnswer("%1POWR=ERR1", "POWR")).toMatchObject({ kind: "error" });
    expect(parsePjlinkAnswer("%1POWR=ERR2", "POWR")).toMatchObject({ kind: "error" });
    expect(parsePjlinkAnswer("%1POWR=ERR4", "POWR")).toMatchObject({ kind: "error" });
    expect(parsePjlinkAnswer("PJLINK ERRA", "POWR")).toMatchObject({
      kind: "error",
      detail: expect.stringContaining("authentication"),
    });
    expect(parsePjlinkAnswer("%1INPT=31", "POWR")).toMatchObject({ kind: "malformed" });
    expect(parsePjlinkAnswer("garbage", "POWR")).toEqual({
      ok: false,
      kind: "malformed",
      detail: 'expected "%1POWR=…", got "garbage"',
    });
  });
});

describe("QRC framing", () => {
  it("splits NUL-terminated messages and encodes calls", () => {
    expect(takeQrcMessage('{"a":1}\0{"b"')).toEqual({ value: '{"a":1}', used: 8 });
    expect(takeQrcMessage('{"b"')).toBeNull();
    expect(encodeQrc(2, "StatusGet", 0)).toBe(
      '{"jsonrpc":"2.0","id":2,"method":"StatusGet","params":0}\0',
    );
  });

  it("tells notifications, results, errors and garbage apart", () => {
    expect(
      parseQrcMessage('{"jsonrpc":"2.0","method":"EngineStatus","params":{"State":"Active"}}'),
    ).toEqual({
      kind: "notification",
      method: "EngineStatus",
    });
    expect(parseQrcMessage('{"jsonrpc":"2.0","id":2,"result":{"State":"Active"}}')).toEqual({
      kind: "result",
      id: 2,
      result: { State: "Active" },
    });
    expect(
      parseQrcMessage('{"jsonrpc":"2.0","id":2,"error":{"code":10,"message":"Logon required"}}'),
    ).toEqual({
      kind: "error",
      id: 2,
      message: "QRC error 10: Logon required",
    });
    expect(parseQrcMessage("nonsense")).toMatchObject({ kind: "malformed" });
    expect(parseQrcMessage("[1]")).toMatchObject({ kind: "malformed" });
  });
});

describe("text and ping parsing", () => {
  it("reads up to the prompt", () => {
    const take = takeUntilPrompt(/[A-Za-z0-9_-]+>\s*$/m);
    expect(take("CP4>")).toEqual({ value: "", used: 4 });
    expect(take("The system has been running for 3 days\r\nCP4>")).toEqual({
      value: "The system has been running for 3 days\r\n",
      used: 44,
    });
    expect(take("still talking")).toBeNull();
  });

  it("reads named groups; a non-matching answer is malformed", () => {
    expect(
      matchGroups("CP4 Cntrl Eng [v2.8000.00021 (Jan)", "\\[v(?<version>[0-9][0-9.]*)", ""),
    ).toEqual({
      type: "record",
      rows: [{ index: "", values: { version: "2.8000.00021" } }],
    });
    expect(matchGroups("Bad command", "\\[v(?<version>[0-9.]+)", "")).toMatchObject({
      type: "malformed",
    });
  });

  it("parses iputils ping output", () => {
    const ok = `PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.
64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.041 ms

--- 127.0.0.1 ping statistics ---
3 packets transmitted, 3 received, 0% packet loss, time 2030ms
rtt min/avg/max/mdev = 0.031/0.045/0.060/0.011 ms`;
    expect(parsePing(ok)).toEqual({ transmitted: 3, received: 3, rttMs: 0.045 });
    expect(parsePing("3 packets transmitted, 0 received, 100% packet loss, time 2040ms")).toEqual({
      transmitted: 3,
      received: 0,
      rttMs: null,
    });
    expect(parsePing("ping: unknown host")).toBeNull();
  });
});
