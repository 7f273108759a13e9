import * as fs from 'node:fs';
import * as path from 'node:path';

/** A mail convene wrote as an .eml file (no SMTP server configured). */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A header as written, its RFC 2047 encoded words (`=?utf-8?b?...?=`) decoded. */
function decodeHeader(value: string): string {
  // Space between two encoded words belongs to neither.
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
      encoding.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

function parse(raw: string): Mail {
  const [head] = raw.split(/\r?\n\r?\n/);
  const headers = head.replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string) => headers.match(new RegExp(`^${name}: (.*)$`, 'mi'))?.[1]?.trim() ?? '';
  const plain = raw.split(/Content-Type: text\/plain[^\n]*\n/i)[1] ?? '';
  const [, encodingLine = ''] = plain.match(/^Content-Transfer-Encoding: (.*)$/im) ?? [];
  let body = plain.split(/\r?\n\r?\n/).slice(1).join('\n\n').split(/\r?\n--/)[0];
  if (/quoted-printable/i.test(encodingLine)) body = decodeQuotedPrintable(body);
  else if (/base64/i.test(encodingLine)) body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return { to: header('To'), subject: decodeHeader(header('Subject')), text: body };
}

/** Every mail written so far. */
export function readMails(): Mail[] {
  const dir = process.env.CONVENE_MAIL_DIR;
  if (!dir) throw new Error('CONVENE_MAIL_DIR is not set: run through `cargo xtask test`');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => parse(fs.readFileSync(path.join(dir, f), 'utf8')));
}

/**
 * How long a mail may take: the outbox worker polls every second and the SMTP hand-over is local,
 * so a mail arrives within a few seconds even on a slow, busy machine; this leaves room for 2x that.
 */
const MAIL_WAIT_MS = 20_000;

/** Waits for a mail to `to` whose subject matches. */
export async function waitForMail(to: string, subject: RegExp): Promise<Mail> {
  const deadline = Date.now() + MAIL_WAIT_MS;
  while (Date.now() < deadline) {
    const mail = readMails().find((m) => m.to.includes(to) && subject.test(m.subject));
    if (mail) return mail;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail to ${to} matching ${subject}; have: ${JSON.stringify(readMails().map((m) => [m.to, m.subject]))}`);
}

/** The first link in a mail's text that matches. */
export function linkIn(mail: Mail, pattern: RegExp): string {
  const link = mail.text.split(/\s+/).find((word) => pattern.test(word));
  if (!link) throw new Error(`no link matching ${pattern} in: ${mail.text}`);
  return link;
}
