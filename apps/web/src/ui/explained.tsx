"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/client/trpc";
import { cellClass, ErrorText, mutedClass, Table } from "./controls";
import { formatValue } from "./format";
import { Section } from "./section";

interface Source {
  value?: unknown;
  secret?: unknown;
  level: string;
  path: string | null;
}

/** A binding's value as shown: a secret is only ever "secret, set", never a value (nor `null`). */
function shown(source: { value?: unknown; secret?: unknown }): string {
  return source.secret === true ? "secret, set" : formatValue(source.value);
}

const from = (s: Source) => `${s.level}${s.path ? ` ${s.path}` : ""}`;

/** Effective tags and variables of a target (`system.<path>`, …), each with where it came from. */
export function Explained({ target }: { target: string }) {
  const trpc = useTRPC();
  const tags = useQuery(trpc.tag.explain.queryOptions({ target }));
  const variables = useQuery(trpc.variable.explain.queryOptions({ target }));
  return (
    <>
      <Section title="Effective tags">
        <ErrorText error={tags.error} />
        {tags.data ? <ExplainTable items={tags.data.items} /> : null}
      </Section>
      <Section title="Effective variables">
        <ErrorText error={variables.error} />
        {variables.data ? <ExplainTable items={variables.data.items} /> : null}
      </Section>
    </>
  );
}

function ExplainTable({
  items,
}: {
  items: { key: string; value?: unknown; secret?: unknown; winner: Source; shadowed: Source[] }[];
}) {
  if (items.length === 0) return <p className={`text-sm ${mutedClass}`}>None.</p>;
  return (
    <Table head={["Key", "Value", "From", "Overrides"]}>
      {items.map((item) => (
        <tr key={item.key} data-testid="explained-row" data-key={item.key}>
          <td className={cellClass}>
            <span className="font-mono">{item.key}</span>
          </td>
          <td className={cellClass}>
            {item.secret === true ? (
              <span className={`italic ${mutedClass}`}>secret, set</span>
            ) : (
              <span className="font-mono">{shown(item)}</span>
            )}
          </td>
          <td className={cellClass}>{from(item.winner)}</td>
          <td className={cellClass}>
            {item.shadowed.map((s) => `${shown(s)} (${from(s)})`).join("; ")}
          </td>
        </tr>
      ))}
    </Table>
  );
}
