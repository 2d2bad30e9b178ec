/**
 * Tiny `--flag value` / `--switch` parser shared by the CLIs in models/tools.
 */

/** Thrown for a missing or malformed command-line argument. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parsed arguments: `--name value` pairs and bare `--switch`es (value "true"). */
export class CliArgs {
  private readonly values = new Map<string, string>();

  constructor(
    argv: readonly string[],
    private readonly usage: string,
  ) {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (!a.startsWith('--')) throw new UsageError(`unexpected argument "${a}"\n${usage}`);
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) this.values.set(a.slice(2), 'true');
      else this.values.set(a.slice(2), argv[++i]);
    }
  }

  /** A required string. */
  need(name: string): string {
    const v = this.values.get(name);
    if (v === undefined) throw new UsageError(`missing --${name}\n${this.usage}`);
    return v;
  }

  /** An optional string. */
  get(name: string): string | undefined {
    return this.values.get(name);
  }

  /** An optional number (must parse). */
  number(name: string, fallback: number): number {
    const v = this.values.get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${v}"\n${this.usage}`);
    return n;
  }

  /** Whether a switch was given. */
  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Every parsed name (to forward the ones a child process understands). */
  entries(): [string, string][] {
    return [...this.values.entries()];
  }
}
