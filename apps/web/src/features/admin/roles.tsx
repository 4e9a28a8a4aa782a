"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/client/trpc";
import { cellClass, ErrorText, mutedClass, PageHeader, Table } from "~/ui/controls";

export function RoleList() {
  const trpc = useTRPC();
  const roles = useQuery(trpc.role.list.queryOptions({ page_size: 500 }));
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4">
      <PageHeader title="Roles" />
      <ErrorText error={roles.error} />
      <Table head={["Role", "Permissions", "Kind"]}>
        {roles.data?.items.map((role) => (
          <tr key={role.id} data-testid="role-row">
            <td className={cellClass}>
              <div className="font-medium">{role.label}</div>
              <div className={`text-xs ${mutedClass}`}>{role.name}</div>
              <div className={`mt-1 text-xs ${mutedClass}`}>{role.description}</div>
            </td>
            <td className={`${cellClass} font-mono text-xs`}>{role.permissions.join(" · ")}</td>
            <td className={cellClass}>{role.official ? "official (read-only)" : "custom"}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
