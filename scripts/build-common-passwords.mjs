#!/usr/bin/env node
/**
 * Builds worker/domain/account/common-passwords.txt, the offline list of common passwords that
 * "Change Password" refuses (ASVS 6.2.4). Source: the "passwords-common" dictionary of
 * @zxcvbn-ts/language-common (a dev dependency; only the generated list ships in the worker).
 *
 * Kept: the 10,000 most common entries (the checker also strips leading/trailing digits and symbols
 * before looking a password up, so "Password2026!" hits "password"), plus every entry of 12+
 * characters from the whole dictionary (those pass the length rule, so they must be listed).
 * The list is data, not code: one entry per line in a text file that the Worker imports as a Text module
 * (wrangler's default rule for *.txt), so every entry is kept whatever characters it holds.
 *
 *   node scripts/build-common-passwords.mjs
 */
import { writeFileSync } from "node:fs";
import { dictionary } from "@zxcvbn-ts/language-common";

const all = dictionary["passwords-common"];
const keep = new Set();
for (const [i, p] of all.entries()) {
  const w = String(p).toLowerCase();
  if (i < 10_000 || w.length >= 12) keep.add(w);
}
const list = [...keep].filter((w) => w.length > 0 && !/[\r\n]/.test(w));
writeFileSync(new URL("../worker/domain/account/common-passwords.txt", import.meta.url), `${list.join("\n")}\n`);
console.log(`wrote ${list.length} entries`);
