"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { permissionMatches } from "@omniglass/domain";
import { useTRPC } from "~/client/trpc";

/**
 * Only built sections are listed, and only those the signed-in principal may use: a section shows
 * when one of the principal's permissions covers its capability (the API enforces its own rule).
 * The admin sections need the power to administer (`principal:create`), not just to read: a viewer
 * reads everything over the API but is not offered the admin pages.
 */
export const SECTIONS = [
  { href: "/", label: "Brief status", capability: "alarm:read" },
  { href: "/platform", label: "Platform", capability: "platform:read" },
  { href: "/operations", label: "Collectors & workers", capability: "node:read" },
  { href: "/schedules", label: "Schedules", capability: "node:read" },
  { href: "/alarms", label: "Alarms", capability: "alarm:read" },
  { href: "/estate", label: "Estate", capability: "location:read" },
  { href: "/estate-plans", label: "Estate plans", capability: "estate:read" },
  { href: "/locations", label: "Locations", capability: "location:read" },
  { href: "/systems", label: "Systems", capability: "system:read" },
  { href: "/components", label: "Components", capability: "component:read" },
  { href: "/templates", label: "Templates", capability: "template:read" },
  { href: "/signals", label: "Signals", capability: "signal:read" },
  { href: "/rules", label: "Rules", capability: "rule:read" },
  { href: "/maintenance", label: "Maintenance", capability: "maintenance:read" },
  { href: "/silences", label: "Silences", capability: "silence:read" },
  { href: "/action-rules", label: "Action rules", capability: "action:read" },
  { href: "/webhook-endpoints", label: "Webhook endpoints", capability: "action:read" },
  { href: "/deliveries", label: "Deliveries", capability: "action:read" },
  { href: "/nodes", label: "Nodes", capability: "node:read" },
  { href: "/admin/principals", label: "People & services", capability: "principal:create" },
  { href: "/admin/roles", label: "Roles", capability: "principal:create" },
  { href: "/admin/audit", label: "Audit log", capability: "principal:create" },
  { href: "/profile", label: "Profile", capability: null },
] as const;

export function Navigation() {
  const pathname = usePathname();
  const trpc = useTRPC();
  const me = useQuery({ ...trpc.auth.me.queryOptions(), retry: false });
  const permissions = me.data?.permissions ?? [];
  const visible = SECTIONS.filter(
    (s) => s.capability === null || permissions.some((p) => permissionMatches(p, s.capability)),
  );
  return (
    <nav aria-label="Main" className="flex flex-col gap-0.5">
      {visible.map((section) => {
        // "/" is active only on itself (every path starts with "/").
        const active =
          pathname === section.href ||
          (section.href !== "/" && pathname.startsWith(`${section.href}/`));
        return (
          <Link
            key={section.href}
            href={section.href}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 text-sm ${
              active
                ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
                : "text-zinc-700 hover:bg-zinc-200 dark:text-zinc-300 dark:hover:bg-zinc-800"
            }`}
          >
            {section.label}
          </Link>
        );
      })}
      <a
        href="/api/docs"
        className="rounded-md px-3 py-1.5 text-sm text-zinc-700 hover:bg-zinc-200 dark:text-zinc-300 dark:hover:bg-zinc-800"
      >
        API reference
      </a>
    </nav>
  );
}
