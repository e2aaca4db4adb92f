/**
 * Our SMTP adapter over worker-mailer (worker/integrations/mailer.ts): replies split one at a time, and SMTP
 * PIPELINING — MAIL FROM, RCPT TO and DATA in one write when the server advertises it (the loopback sink does),
 * with refusals reported and the connection kept in step for the next message.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { WorkerMailer } from "worker-mailer";
import { developmentSmtp } from "../../../worker/domain/email/smtp-settings";
import { openSmtpSession, splitReply } from "../../../worker/integrations/mailer";
import { setSinkFaults, sinkMessages } from "../../mail";
import { testCtx } from "../../context";

const settings = () => developmentSmtp(testCtx().config)!;
const email = (to: string, n: number) => ({ toAddress: to, toName: null, subject: `s${n}`, html: `<p>${n}</p>`, text: `${n}`, messageId: `<${crypto.randomUUID()}@pipelining.test>` });

afterEach(async () => {
  vi.restoreAllMocks();
  await setSinkFaults({});
});

describe("SMTP replies", () => {
  it("splits pipelined replies one at a time, multi-line replies whole", () => {
    expect(splitReply("250 OK\r\n250 Accepted\r\n354 End data with <CR><LF>.<CR><LF>\r\n")).toEqual({
      reply: "250 OK\r\n", last: "250 OK", rest: "250 Accepted\r\n354 End data with <CR><LF>.<CR><LF>\r\n",
    });
    expect(splitReply("250-mail.test\r\n250-PIPELINING\r\n250 DSN\r\n")).toMatchObject({ last: "250 DSN", rest: "" });
    expect(splitReply("250-mail.test\r\n250-PIPE")).toBeNull();
    expect(splitReply("250 O")).toBeNull();
  });
});

describe("SMTP PIPELINING", () => {
  it("sends MAIL FROM, RCPT TO and DATA in one write: two writes per message", async () => {
    const to = `pipe-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const write = vi.spyOn(WorkerMailer.prototype as unknown as { write(s: string): Promise<void> }, "write");
    const session = await openSmtpSession(settings());
    write.mockClear();
    for (let n = 0; n < 3; n++) await session.send(email(to, n));
    await session.close();
    const sent = write.mock.calls.map(([s]) => s);
    const envelopes = sent.filter((s) => s.startsWith("MAIL FROM:"));
    expect(envelopes).toHaveLength(3);
    for (const e of envelopes) expect(e).toMatch(new RegExp(`^MAIL FROM: <[^>]+>[^\\r]*\\r\\nRCPT TO: <${to}>[^\\r]*\\r\\nDATA\\r\\n$`));
    expect(sent.filter((s) => s.startsWith("RCPT") || s.startsWith("DATA"))).toEqual([]);
    expect(sent.length).toBe(3 * 2 + 1); // envelope + body per message, QUIT
    expect((await sinkMessages()).filter((m) => m.envelope.to.includes(to)).map((m) => m.subject)).toEqual(["s0", "s1", "s2"]);
  });

  it("a refused recipient fails that message with the server's reply; the next one goes out on the same connection", async () => {
    const tag = `piperef${crypto.randomUUID().slice(0, 6)}`;
    const session = await openSmtpSession(settings());
    await setSinkFaults({ rejectNext: 1, rejectCode: 451, match: tag });
    await expect(session.send(email(`${tag}-a@example.test`, 1))).rejects.toThrow(/RCPT TO: <[^>]+>.*451/);
    await session.send(email(`${tag}-b@example.test`, 2));
    await session.close();
    const got = (await sinkMessages()).filter((m) => m.envelope.to.some((t) => t.includes(tag)));
    expect(got.map((m) => m.envelope.to)).toEqual([[`${tag}-b@example.test`]]);
  });

  it("a 421 refusal (the server hangs up) is reported as the refusal, not as the closed connection", async () => {
    const tag = `pipe421${crypto.randomUUID().slice(0, 6)}`;
    const session = await openSmtpSession(settings());
    await setSinkFaults({ rejectNext: 1, rejectCode: 421, match: tag });
    await expect(session.send(email(`${tag}@example.test`, 1))).rejects.toThrow(/421/);
    await session.close();
  });
});
