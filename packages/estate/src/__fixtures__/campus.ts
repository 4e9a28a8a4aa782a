/*
 * A small campus as estate files: the entry file with the shared pieces, and one file per room
 * from the same room standard (a display, a codec, two microphones with quorum 1).
 */

export function roomFile(building: string, room: string): string {
  const at = `campus.${building}.${room}`;
  return `# ${room}: the standard meeting room
locations:
  ${at}: { type: room, label: Room ${room} }
systems:
  ${at}.av:
    type: meeting-room
    roles:
      display: { accepts: [display], quorum: 1, impact: outage }
      mics: { accepts: [microphone], quorum: 1, impact: degraded }
    members:
      - { component: display-1, role: display, primary: true }
      - { component: mic-1, role: mics }
      - { component: mic-2, role: mics }
      - codec-1
components:
  ${at}.display-1:
    template: generic-display@2
    address: 10.${building.length}.0.11
    node: edge-${building}
    interfaces:
      http: { port: 8080 }
  ${at}.codec-1: { template: template.generic-codec@1, node: edge-${building} }
  ${at}.mic-1: { template: generic-mic@1 }
  ${at}.mic-2: { template: generic-mic@1, labels: { seat: rear } }
`;
}

export const ENTRY = `version: 1
include:
  - rooms/north-101.yaml
  - rooms/north-102.yaml
tags:
  environment: production
variables:
  snmp-community: \${env:SNMP_COMMUNITY}
  poll-interval: 30
locations:
  campus: { type: campus, label: Main campus }
  campus.north:
    type: building
    tags: { building-code: N }
    metadata: { facilities: { contact: desk-12 } }
nodes:
  edge-north: { location: campus.north, label: North edge }
rules:
  hot-display:
    severity: warning
    fire: signals["temperature"] > 70
    clear: signals["temperature"] < 65
    sustainSeconds: 300
    scope: location.campus.north
maintenanceWindows:
  north-saturday:
    scope: location.campus.north
    dtstart: 2026-03-07T02:30
    timeZone: Europe/London
    duration: 2h
    rrule: FREQ=WEEKLY;BYDAY=SA
silenceDefaults:
  duration: 4h
  maxDuration: 72h
webhookEndpoints:
  pager:
    url: https://hooks.example.com/omniglass
    secret: \${env:PAGER_SECRET}
actionRules:
  page-critical:
    matchers: { severities: [critical], rules: [hot-display] }
    endpoints: [pager]
grants:
  - { principal: alice, role: operator, scope: location.campus.north }
  - { principal: itsm, role: viewer }
`;

export const CAMPUS: Record<string, string> = {
  "estate.yaml": ENTRY,
  "rooms/north-101.yaml": roomFile("north", "room-101"),
  "rooms/north-102.yaml": roomFile("north", "room-102"),
};
