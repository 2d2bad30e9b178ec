/** Helpers shared by the model:quantize and model:merge CLIs. */
import { UsageError } from './cli-args.ts';

/** `value` if it is one of `allowed`, else UsageError naming the flag and the choices. */
export function oneOf<T extends string>(
  flag: string,
  value: string,
  allowed: readonly T[],
  usage: string,
): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be ${allowed.join(' or ')}, got "${value}"\n${usage}`);
}

/** Runs a CLI's main; prints "Name: message" and exits 1 on any error. */
export function runCli(main: (argv: string[]) => void): void {
  try {
    main(process.argv.slice(2));
  } catch (error: unknown) {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exit(1);
  }
}
