import { permanentRedirect } from "next/navigation";

/** The platform's health page was /system ("System status" read as the estate's systems). */
export default function OldPlatformPage() {
  permanentRedirect("/platform");
}
