"use client";

import { useEffect, useState } from "react";

type Theme = "light" | "dark";

/** Light or dark, remembered per browser; the initial class is set before paint by the layout's script. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme | null>(null);
  useEffect(() => {
    setTheme(document.documentElement.classList.contains("dark") ? "dark" : "light");
  }, []);
  const next: Theme = theme === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      onClick={() => {
        document.documentElement.classList.toggle("dark", next === "dark");
        localStorage.setItem("omniglass-theme", next);
        setTheme(next);
      }}
      className="rounded-md border border-zinc-300 px-2 py-1 text-xs text-zinc-600 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
      aria-label={`Switch to ${next} theme`}
    >
      {theme === null ? "Theme" : next === "dark" ? "Dark theme" : "Light theme"}
    </button>
  );
}

export const THEME_BOOT_SCRIPT = `try{var t=localStorage.getItem("omniglass-theme");if(t==="dark"||(!t&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`;
