"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/client/trpc";
import { Button, ErrorText, Loading, mutedClass, PageHeader } from "~/ui/controls";
import { TextLink } from "~/ui/links";
import { SeverityBadge } from "~/ui/severity-badge";
import { useCan } from "~/ui/use-can";
import { RuleEditor } from "./rule-editor";

/** One rule: its editor (read-only for a template rule or without rule:update), and delete. */
export function RuleDetailView({ ruleRef }: { ruleRef: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const can = useCan();
  const detail = useQuery(trpc.rule.get.queryOptions({ ref: ruleRef }));
  const remove = useMutation(
    trpc.rule.delete.mutationOptions({ onSuccess: () => router.push("/rules") }),
  );
  if (detail.error) return <ErrorText error={detail.error} />;
  const r = detail.data;
  if (!r) return <Loading />;
  const custom = r.origin === "custom";
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4">
      <PageHeader title={r.label ? `${r.label} (${r.name})` : r.name}>
        <div className="flex items-center gap-3">
          <SeverityBadge severity={r.severity} />
          <TextLink href={`/alarms?rule=${r.id}`}>Its alarms</TextLink>
          {custom && can("rule:delete") ? (
            <Button
              variant="danger"
              disabled={remove.isPending}
              onClick={() => {
                if (window.confirm(`Delete the rule ${r.name}? Its alarms go with it.`))
                  remove.mutate({ ref: r.id });
              }}
            >
              Delete
            </Button>
          ) : null}
        </div>
      </PageHeader>
      <p className={`-mt-2 text-sm ${mutedClass}`}>{r.description}</p>
      <ErrorText error={remove.error} />
      {/* Remounted on each saved version, so the form starts from what is stored. */}
      <RuleEditor key={r.version} rule={r} readOnly={can("rule:update") === false} />
    </div>
  );
}

/** A new rule: the editor, empty. */
export function NewRuleView() {
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4">
      <PageHeader title="New rule" />
      <RuleEditor />
    </div>
  );
}
