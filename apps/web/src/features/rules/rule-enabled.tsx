"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/client/trpc";
import { Button, ErrorText } from "~/ui/controls";
import type { Rule } from "./rule-format";

/**
 * Switching a template or built-in rule off or on: the one thing an operator with `rule:update`
 * may change of a rule declared elsewhere (the API refuses any other field). Audited; a disabled
 * rule stops evaluating at once and its open alarms stay until they clear or someone resolves them.
 */
export function RuleEnabledToggle({ rule }: { rule: Rule }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toggle = useMutation(
    trpc.rule.update.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.rule.pathKey() }),
    }),
  );
  const next = !rule.enabled;
  return (
    <div className="flex flex-col gap-1" data-testid="rule-enabled">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span>
          {rule.enabled
            ? "Enabled: it judges every sample in its scope."
            : "Disabled: it judges nothing."}
        </span>
        <Button
          variant={rule.enabled ? "danger" : "primary"}
          disabled={toggle.isPending}
          onClick={() => {
            const verb = next ? "Enable" : "Disable";
            if (
              next ||
              window.confirm(
                `${verb} ${rule.name}? It stops opening alarms everywhere it applies; open ones stay open.`,
              )
            )
              toggle.mutate({ ref: rule.id, version: rule.version, enabled: next });
          }}
        >
          {next ? "Enable rule" : "Disable rule"}
        </Button>
      </div>
      <ErrorText error={toggle.error} />
    </div>
  );
}
