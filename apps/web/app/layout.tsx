import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { THEME_BOOT_SCRIPT } from "~/features/shell/theme-toggle";
import { ApiProvider } from "~/client/trpc";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Omniglass", template: "%s · Omniglass" },
  description: "Observability and control plane for AV and IT estates",
};

/** Reads the request's script nonce (set by the proxy), so every page renders per request. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-zinc-50 font-sans text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <ApiProvider>{children}</ApiProvider>
      </body>
    </html>
  );
}
