/**
 * `npm run certdesk -- COMMAND ...`: the scripting entry on the same core the app uses.
 * Each command lives in its own module and returns the process exit code.
 */
import { CertdeskError } from '../core/errors';

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<{ run: Command }>> = {
  inspect: () => import('./inspect'),
  limbo: () => import('./limbo'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const load = name ? commands[name] : undefined;
  if (!load) {
    process.stderr.write(
      'usage: certdesk inspect FILE [--password PW]\n' +
        '       certdesk limbo FILE [--out RESULTS.json]\n',
    );
    return 2;
  }
  const command = await load();
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const body =
      error instanceof CertdeskError
        ? { code: error.code, message: error.message }
        : { code: 'internal', message: String(error) };
    process.stdout.write(JSON.stringify({ error: body }) + '\n');
    process.exitCode = 2;
  },
);
