export * from "./dependency";
export * from "./recurrence";
export * from "./rrule";
export * from "./silence";
export * from "./zone";
