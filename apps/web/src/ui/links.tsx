import Link from "next/link";
import type { ReactNode } from "react";

/** Where each object lives in the console, and how a link to it looks. Server-safe. */

const seg = encodeURIComponent;
export const locationHref = (path: string) => `/locations/${seg(path)}`;
export const systemHref = (path: string) => `/systems/${seg(path)}`;
export const componentHref = (path: string) => `/components/${seg(path)}`;
export const templateHref = (name: string) => `/templates/${seg(name)}`;
export const nodeHref = (name: string) => `/nodes/${seg(name)}`;
export const principalHref = (id: string) => `/admin/principals/${seg(id)}`;

export const linkClass =
  "font-medium text-sky-800 underline-offset-2 hover:underline dark:text-sky-300";

export function TextLink({
  href,
  children,
  className = "",
}: {
  href: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <Link className={`${linkClass} ${className}`} href={href}>
      {children}
    </Link>
  );
}

/** A location by its path, linked to its page. */
export function LocationLink({ path }: { path: string }) {
  return <TextLink href={locationHref(path)}>{path}</TextLink>;
}
