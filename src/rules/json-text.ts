import type { Issue } from '../errors.js';

/**
 * Parses JSON text; on a syntax error, finds where it is (Node's JSON.parse does not say) and
 * reports it as an issue `line L, column C: …`.
 */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; issue: Issue } {
  const body = text.replace(/^\uFEFF/, '');
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (err) {
    const at = syntaxErrorAt(body);
    return { ok: false, issue: { path: '', message: `invalid JSON: ${at ?? (err as Error).message}` } };
  }
}

class Scan {
  i = 0;
  constructor(readonly s: string) {}

  ws(): void {
    while (/[ \t\n\r]/.test(this.s[this.i] ?? '')) this.i++;
  }

  fail(what: string): never {
    throw new SyntaxPosition(this.s, this.i, what);
  }

  value(): void {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    const lit = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(this.s.slice(this.i, this.i + 400));
    if (!lit)
      this.fail(
        c === undefined
          ? 'unexpected end of file, expected a value'
          : `unexpected ${JSON.stringify(c)}, expected a value`,
      );
    this.i += lit[0].length;
  }

  string(): void {
    this.i++;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined || c === '\n') this.fail('unterminated string');
      if (c === '"') {
        this.i++;
        return;
      }
      if (c === '\\') {
        this.i++;
        const e = this.s[this.i] ?? '';
        const valid =
          e === 'u'
            ? /^[0-9a-fA-F]{4}$/.test(this.s.slice(this.i + 1, this.i + 5))
            : e !== '' && '"\\/bfnrt'.includes(e);
        if (!valid) this.fail('invalid escape in string');
        this.i += e === 'u' ? 5 : 1;
        continue;
      }
      if (c < ' ') this.fail('control character in string');
      this.i++;
    }
  }

  list(close: string, item: () => void): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === close) {
      this.i++;
      return;
    }
    for (;;) {
      item();
      this.ws();
      const c = this.s[this.i];
      if (c === close) {
        this.i++;
        return;
      }
      if (c !== ',')
        this.fail(
          c === undefined
            ? `unexpected end of file, expected "," or "${close}"`
            : `unexpected ${JSON.stringify(c)}, expected "," or "${close}"`,
        );
      this.i++;
      this.ws();
      if (this.s[this.i] === close) this.fail(`trailing comma before "${close}"`);
    }
  }

  object(): void {
    this.list('}', () => {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('expected a property name in double quotes');
      this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail('expected ":" after the property name');
      this.i++;
      this.value();
    });
  }

  array(): void {
    this.list(']', () => this.value());
  }
}

class SyntaxPosition {
  constructor(
    readonly text: string,
    readonly index: number,
    readonly what: string,
  ) {}

  describe(): string {
    const before = this.text.slice(0, this.index);
    const line = before.split('\n').length;
    const column = this.index - before.lastIndexOf('\n');
    return `line ${line}, column ${column}: ${this.what}`;
  }
}

/** `line L, column C: what` for the first syntax error in `text`, or undefined if none is found. */
export function syntaxErrorAt(text: string): string | undefined {
  const scan = new Scan(text);
  try {
    scan.value();
    scan.ws();
    if (scan.i < text.length) scan.fail(`unexpected ${JSON.stringify(text[scan.i])} after the JSON value`);
    return undefined;
  } catch (err) {
    if (err instanceof SyntaxPosition) return err.describe();
    throw err;
  }
}
