import type { FakeUser } from "./fake-slack.js";

/** The sales team of the CSV fixtures in test/fixtures/import/, as the fake Slack knows them. */
export const CRM_OWNERS: FakeUser[] = [
  { id: "U0JANE", real_name: "Jane Doe", tz: "America/New_York", locale: "en-US", profile: { email: "jane.doe@northwind-capital.com" } },
  { id: "U0KLAUS", real_name: "Klaus Berger", tz: "Europe/Berlin", locale: "de-DE", profile: { email: "klaus.berger@northwind-capital.com" } },
  { id: "U0PRIYA", real_name: "Priya Shah", tz: "Asia/Kolkata", locale: "en-GB", profile: { email: "priya.shah@northwind-capital.com" } },
  { id: "U0MARCUS", real_name: "Marcus Lee", tz: "America/Los_Angeles", profile: { email: "Marcus.Lee@northwind-capital.com" } },
  // Left the company: Slack still knows the email but the user is deactivated.
  { id: "U0TOM", real_name: "Tom Left", deleted: true, profile: { email: "tom.left@northwind-capital.com" } },
  { id: "U0SALLY", real_name: "Sally Sales Ops", tz: "America/Chicago", profile: { email: "sally@northwind-capital.com" } },
];

export const IMPORT_FIXTURES = new URL("../fixtures/import/", import.meta.url).pathname;
