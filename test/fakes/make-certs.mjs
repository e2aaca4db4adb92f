#!/usr/bin/env node
// Generates the test-only TLS material in test/fakes/tls/:
//   ca.pem      - a throwaway CA; point NODE_EXTRA_CA_CERTS at it so workerd/Node trust the sinks
//   server.pem  - leaf certificate for localhost / 127.0.0.1, signed by that CA
//   server.key  - the leaf's private key (used by the STARTTLS and implicit-TLS SMTP sinks)
// Everything is valid for 10 years and committed, so tests never need openssl at run time.
// The CA private key is deleted after signing: nothing else can ever be signed by a CA
// that test processes trust. Re-run this script (needs `openssl`) to rotate all three files.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const outDir = join(dirname(fileURLToPath(import.meta.url)), "tls");
const days = String(3650);

function openssl(args, cwd) {
  // Key generation chatters on stderr; keep it quiet unless a step fails.
  try {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  } catch (err) {
    console.error(`make-certs: openssl ${args[0]} failed:\n${err.stderr ?? err}`);
    throw err;
  }
}

try {
  execFileSync("openssl", ["version"], { stdio: "ignore" });
} catch {
  // Node's crypto can make keys but not X.509 certificates, so openssl is required here.
  console.error("make-certs: `openssl` not found; install it (apt-get install openssl) or keep the committed PEMs.");
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), "cumulus-certs-"));
try {
  // CA: basicConstraints CA:TRUE is what lets it act as an issuer for the leaf below.
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", days,
    "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Cumulus Test CA (do not trust outside tests)",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"], work);

  // Leaf: clients verify the SAN, not the CN, so both names the sinks are reached by go there.
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-sha256", "-keyout", "server.key", "-out", "server.csr",
    "-subj", "/CN=localhost"], work);
  writeFileSync(join(work, "leaf.ext"), [
    "basicConstraints=critical,CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "extendedKeyUsage=serverAuth",
    "subjectAltName=DNS:localhost,IP:127.0.0.1",
    "",
  ].join("\n"));
  openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
    "-days", days, "-sha256", "-extfile", "leaf.ext", "-out", "server.pem"], work);

  for (const f of ["ca.pem", "server.pem", "server.key"]) copyFileSync(join(work, f), join(outDir, f));
  console.log(`make-certs: wrote ca.pem, server.pem, server.key to ${outDir}`);
} finally {
  rmSync(work, { recursive: true, force: true }); // takes ca.key with it
}
