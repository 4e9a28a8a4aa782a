import { Command } from "commander";
import type { OmniglassClient, RouterOutputs } from "@omniglass/client";
import { InputError } from "../errors";
import { addFlags, flag, parseFlags } from "../flags";
import type { CliIo } from "../io";
import { printRecord } from "../output";
import { createRunner, withConnection, type Connection } from "../runner";
import { printDelivery } from "./delivery";
import { resourceCommand } from "./resource";

/**
 * `omniglass endpoint …`: webhook endpoints (Standard Webhooks), their URL given as `--webhook-url`
 * (`--url` is the server's). The `whsec_` signing secret is
 * printed once, by `create` and `rotate-secret`; no read returns it. `test` queues a signed
 * `webhook.test` event and, with `--wait`, shows how the receiver answered.
 */

type Endpoint = RouterOutputs["webhookEndpoint"]["list"]["items"][number];
type DeliveryDetail = RouterOutputs["delivery"]["get"];

const stateOf = (e: Endpoint) =>
  e.enabled ? "enabled" : `disabled${e.disabledReason ? `: ${e.disabledReason}` : ""}`;

const lastOf = (e: Endpoint) =>
  e.lastDelivery
    ? `${e.lastDelivery.status}${e.lastDelivery.statusCode === null ? "" : ` ${e.lastDelivery.statusCode}`} ${e.lastDelivery.at}`
    : "-";

export function endpointCommand(io: CliIo) {
  const command = resourceCommand(
    {
      name: "endpoint",
      description: "Webhook endpoints: where signed alarm transitions are POSTed",
      key: "ref",
      list: {
        search: false,
        flags: {},
        call: (client, { page_size, page_token }) =>
          client.webhookEndpoint.list.query({ page_size, ...(page_token ? { page_token } : {}) }),
      },
      columns: [
        { header: "NAME", value: (e) => e.name },
        { header: "URL", value: (e) => e.url },
        { header: "STATE", value: stateOf },
        { header: "FAILING SINCE", value: (e) => e.failingSince },
        { header: "LAST DELIVERY", value: lastOf },
        { header: "UNSENT", value: (e) => e.unsentDeliveries },
        { header: "LOCATION", value: (e) => e.location?.path ?? "(platform)" },
      ],
      get: (client, ref) => client.webhookEndpoint.get.query({ ref }),
      create: {
        flags: {
          name: flag.required("unique name (a-z, 0-9, dashes)"),
          webhookUrl: flag.required("the http(s) URL deliveries are POSTed to"),
          label: flag.text("a label for humans"),
          location: flag.text("place it in a location (its scope); omitted: the platform"),
          disabled: flag.switch("create it disabled (nothing is sent until enabled)"),
        },
        call: (client, { disabled, webhookUrl, ...input }) =>
          client.webhookEndpoint.create.mutate({
            ...input,
            url: webhookUrl,
            enabled: disabled !== true,
          }),
      },
      update: {
        flags: {
          webhookUrl: flag.text("a new URL for deliveries (checked as on create)"),
          label: flag.clearable("a label for humans"),
          enabled: flag.optionalChoice(
            ["true", "false"],
            "false holds its deliveries; true sends them again and clears a 410's disabled reason",
          ),
        },
        call: (client, ref, { enabled, webhookUrl, ...input }, version) =>
          client.webhookEndpoint.update.mutate({
            ref,
            ...input,
            ...(webhookUrl === undefined ? {} : { url: webhookUrl }),
            ...(enabled === undefined ? {} : { enabled: enabled === "true" }),
            version,
          }),
      },
      delete: {
        call: (client, ref) => client.webhookEndpoint.delete.mutate({ ref }),
      },
    },
    io,
  );
  command.commands.find((c) => c.name() === "get")?.alias("show");
  return command.addCommand(rotateCommand(io)).addCommand(testCommand(io));
}

/** `endpoint rotate-secret <ref>`: a new secret, printed this once; the old one stops at once. */
function rotateCommand(io: CliIo) {
  const run = createRunner(io);
  return withConnection(
    new Command("rotate-secret").description(
      "Give an endpoint a new signing secret (printed once; the old one stops signing at once)",
    ),
  )
    .argument("<ref>", "the endpoint: id or name")
    .action(async (ref: string, options: Connection) =>
      run(
        options,
        (client) => client.webhookEndpoint.rotateSecret.mutate({ ref }),
        (endpoint) => {
          printRecord(io, endpoint);
          io.err("Store the secret now: it is not shown again.");
        },
      ),
    );
}

/** Polls the delivery until it is no longer pending (or `seconds` pass). */
async function outcomeOf(client: OmniglassClient, id: string, seconds: number) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const d: DeliveryDetail = await client.delivery.get.query({ id });
    if (d.status !== "pending" || Date.now() >= deadline) return d;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `endpoint test <ref> [--wait N]`: a signed webhook.test event, and how the receiver answered. */
function testCommand(io: CliIo) {
  const run = createRunner(io);
  const flags = { wait: flag.int("wait up to this many seconds for the answer (0-60)") };
  const command = withConnection(
    new Command("test").description(
      "Send a signed webhook.test event to an endpoint (--wait shows the receiver's answer)",
    ),
  ).argument("<ref>", "the endpoint: id or name");
  return addFlags(command, flags).action(async (ref: string, options: Connection) =>
    run(
      options,
      async (client) => {
        const { wait } = parseFlags(flags, options);
        if (wait !== undefined && (wait < 0 || wait > 60))
          throw new InputError("--wait must be 0 to 60 seconds");
        const queued = await client.webhookEndpoint.test.mutate({ ref });
        return outcomeOf(client, queued.id, wait ?? 0);
      },
      (d) => printDelivery(io, d),
    ),
  );
}
