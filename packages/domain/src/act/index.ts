export * from "./webhook";
